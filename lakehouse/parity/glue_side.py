"""The glue side of `make parity`: glue-local with the reference's raw tables, dbt-glue builds
against it, and the fingerprints of what they built."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lakehouse_jobs.paths import repo_root

from lakehouse.environment import dbt_environment, fresh
from lakehouse.glue_local.client import aws_env, glue_local, run_python
from lakehouse.parity.fingerprints import failed_nodes, manifest_relations, uncatalogued

# What a second run changes: incrementals take their incremental path (merge), snapshots compare.
SECOND_RUN = ("--select", "config.materialized:incremental resource_type:snapshot")


def load_sources(url: str, ddl: dict[str, dict], reference: Path, home: Path) -> None:
    """The reference's raw tables, byte for byte, in glue-local: their folders copied from the
    reference's warehouse into glue-local's, then declared there with the same DDL and the same
    partitions."""

    def copied(location: str) -> str:
        source = Path(location.removeprefix("file:"))
        target = home / "warehouse" / source.relative_to(reference / "warehouse")
        shutil.copytree(source, target, dirs_exist_ok=True)
        return str(target)

    statements = []
    for table, spec in ddl.items():
        table_location = re.search(r"LOCATION '([^']+)'", spec["create"]).group(1)
        statements.append(spec["create"].replace(table_location, copied(table_location)))
        statements += [
            f"alter table {table} add if not exists partition ({part}) location '{copied(where)}'"
            for part, where in spec["partitions"]
        ]
    databases = sorted({table.split(".")[0] for table in ddl})
    code = [f"spark.sql('create database if not exists {d}')" for d in databases]
    code += [f"spark.sql({statement!r})" for statement in statements]
    run_python(url, "\n".join(code))


def glue_fingerprints(url: str, relations: list[str]) -> dict[str, dict]:
    code = (
        "import json\nfrom lakehouse.parity.fingerprints import table_fingerprints\n"
        f"print(json.dumps(table_fingerprints(spark, {relations!r})))"
    )
    return json.loads(run_python(url, code))


def dbt_glue_env(url: str, home: Path) -> dict[str, str]:
    """The environment of a dbt run on target glue_local, with its files under `home`."""
    return {
        **os.environ,
        **aws_env(url),
        **dbt_environment(home),
        "DBT_GLUE_LOCATION": str(home / "warehouse"),
        "DBT_GLUE_STORAGE_ROOT": str(home / "warehouse"),
    }


def _logged(command: list[str], env: dict[str, str], home: Path) -> int:
    with (home / "dbt.log").open("a") as log:
        log.write(f"\n$ {' '.join(command)}\n")
        log.flush()
        run = subprocess.run(
            command, env=env, cwd=repo_root(), stdout=log, stderr=subprocess.STDOUT
        )
        return run.returncode


def dbt_glue(url: str, home: Path, *args: str, project_dir: Path | None = None) -> int:
    """`dbt <args> --target glue_local` in a child process, logged to home/dbt.log."""
    dbt = Path(sys.executable).with_name("dbt")
    project = str(project_dir or repo_root())
    command = [str(dbt), *args, "--target", "glue_local", "--project-dir", project]
    return _logged(command, dbt_glue_env(url, home), home)


def docs_generate(url: str, home: Path) -> int:
    """The project's `dbt docs generate` for glue_local: lakehouse.docs.site routes dbt-glue's
    catalog through the project's glue__get_catalog macro (stock dbt-glue lists one schema)."""
    command = [sys.executable, "-m", "lakehouse.docs.site", "generate", "--target", "glue_local"]
    return _logged(command, dbt_glue_env(url, home), home)


def glue_side(
    home: Path, reference: Path, ddl: dict[str, str], manifest: Path, runs: int = 2
) -> dict:
    """glue-local on `home` (emptied first): the reference's source tables, `dbt build` (then
    again for incrementals and snapshots), the docs, fingerprints."""
    report: dict = {"failures": []}
    relations = manifest_relations(manifest)
    fresh(home)
    with glue_local(home) as (url, pid):
        report["server_pid"] = pid
        started = time.monotonic()
        load_sources(url, ddl, reference, home)
        report["seconds_sources"] = round(time.monotonic() - started, 1)
        target = home / "dbt-target"
        for run in range(1, runs + 1):
            started = time.monotonic()
            code = dbt_glue(url, home, "build", *([] if run == 1 else SECOND_RUN))
            report[f"seconds_build_{run}"] = round(time.monotonic() - started, 1)
            failed = failed_nodes(target / "run_results.json")
            if code != 0 or failed:
                report["failures"].append(f"dbt build run {run} (exit {code}): {failed}")
        started = time.monotonic()
        if docs_generate(url, home) != 0:
            report["failures"].append("dbt docs generate failed")
        elif missing := uncatalogued(target / "catalog.json", manifest):
            report["failures"].append(f"not in the docs catalog: {missing}")
        report["seconds_docs"] = round(time.monotonic() - started, 1)
        report["fingerprints"] = glue_fingerprints(url, sorted(set(relations.values())))
    return report
