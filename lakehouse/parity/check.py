"""`make parity`: the whole domain through the UNMODIFIED dbt-glue adapter against glue-local, as
AWS builds it, compared table by table with the `local` (dbt-spark) build of the same raw data.

1. reference: a `local` lakehouse (its own process and folder) runs `make run`'s pipeline;
2. the stacks: the baseline and every project stack planned with Terraform (against moto, for
   the few lookups a plan makes): the IAM policies glue-local enforces, each project's
   CodeBuild command (the gate) and the domain schedule's waves come from those plans;
3. glue: glue-local starts with the reference's raw tables, enforcing those policies; the
   schedule runs (each stage as its project's dbt runner and session role, its last wave
   publishing), its upstream stages and publish again (incremental models merge, snapshots
   compare), their gates' metrics (to a moto server: lakehouse.parity.gate_metrics), one
   developer build (README), the docs, the refusals (lakehouse.parity.refusals) and a failing
   test that publishes nothing (lakehouse.parity.failing_gate);
4. every model, seed and snapshot must have the same relation kind (view / iceberg / parquet),
   columns and types, row count and order-independent checksum on both sides (the developer's
   copies too); every model must be in the docs catalog; every dbt node must pass.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root

from lakehouse import environment
from lakehouse.parity import aws_plan
from lakehouse.parity.fingerprints import (
    compare,
    manifest_relations,
    source_ddl,
    source_tables,
    table_fingerprints,
)
from lakehouse.parity.glue_side import glue_side
from lakehouse.release import project_access


def reference_side(home: Path, sf: str) -> int:
    """The `local` build (`make run`'s pipeline) in THIS process, run as a child: one JVM per
    lakehouse folder, emptied first. Writes the fingerprints and the source tables' DDL next to
    it."""
    environment.fresh(home)
    environment.use(home)
    from lakehouse_jobs.spark import get_spark

    from lakehouse.local import jars, pipeline

    jars.ensure_jars(home)
    code = pipeline.main(["--sf", sf])
    spark = get_spark("parity-reference")
    manifest = home / "dbt-target" / "manifest.json"
    relations = manifest_relations(manifest)
    prints = table_fingerprints(spark, sorted(set(relations.values())))
    (home / "fingerprints.json").write_text(json.dumps(prints, indent=1))
    ddl = source_ddl(spark, source_tables(manifest))
    (home / "sources.json").write_text(json.dumps(ddl, indent=1))
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sf", default="0.01", help="TPC-H scale factor of the sample data")
    parser.add_argument("--workdir", type=Path, default=None, help="default $LAKEHOUSE_DIR/parity")
    parser.add_argument("--reference-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse-reference", action="store_true", help="keep the last local build (debugging)"
    )
    args = parser.parse_args(argv)
    work = (args.workdir or lakehouse_dir() / "parity").absolute()
    if args.reference_only:
        return reference_side(work / "local", args.sf)

    reused = args.reuse_reference and (work / "local" / "fingerprints.json").exists()
    print(f"==> reference: dbt-spark `local` build in {work / 'local'}", flush=True)
    child = [sys.executable, "-m", "lakehouse.parity", "--reference-only", "--sf", args.sf]
    if not reused and subprocess.run([*child, "--workdir", str(work)], cwd=repo_root()).returncode:
        print("parity: the local (dbt-spark) build itself failed; fix that first")
        return 1
    local = work / "local"
    manifest = local / "dbt-target" / "manifest.json"
    print("==> the stacks: Terraform plans of the baseline and every project", flush=True)
    try:
        started = time.monotonic()
        project_access.write(manifest, work / "access")
        rendered = aws_plan.render_stacks(work / "stacks", work / "access")
        seconds_plans = round(time.monotonic() - started, 1)
    except aws_plan.TerraformMissing as error:
        print(f"parity: {error}")
        return 1
    print(f"==> glue: dbt-glue against glue-local in {work / 'glue'}", flush=True)
    ddl = json.loads((local / "sources.json").read_text())
    report = glue_side(work / "glue", local, ddl, manifest, rendered)
    reference = json.loads((local / "fingerprints.json").read_text())
    developer = {r: reference[r] for r in report["developer_fingerprints"]}
    problems = report["failures"] + report["refusals"]
    problems += compare(reference, report["fingerprints"])
    problems += [
        f"developer copy of {p}" for p in compare(developer, report["developer_fingerprints"])
    ]
    timings = {k: v for k, v in report.items() if k.startswith("seconds_")}
    timings["seconds_plans"] = seconds_plans
    print(f"==> schedule: {' -> '.join(' + '.join(wave) for wave in report['waves'])}")
    print(
        f"==> parity: {len(reference)} relations compared (and {len(developer)} developer "
        f"copies); 3 refusals and a failing gate checked; glue-side timings {timings}"
    )
    for problem in problems:
        print(f"  DIFFERENT {problem}")
    print(
        "parity: OK"
        if not problems
        else f"parity: {len(problems)} difference(s); logs in {work / 'glue'}"
    )
    return 0 if not problems else 1
