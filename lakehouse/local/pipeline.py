"""`make run`: the whole pipeline on the embedded lakehouse, in one process (one Spark, one JVM).

sample data -> landing -> ingestion jobs -> raw -> dbt build (refined, curated, tests) -> docs

The ingestion jobs keep their run logs ({abbr}_raw.<project>___ingestion_runs), the gate its own
({abbr}_raw.domain___gate_runs: lakehouse.local.gate_log).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.paths import lakehouse_dir, repo_root

from lakehouse import dbt_lineage, gate, run_log
from lakehouse.environment import target_dir
from lakehouse.local import gate_log, ingestion, tpch
from lakehouse.local.dbt import run_dbt
from lakehouse.local.gate import local_state


class Stages:
    """Wall-clock time per stage, for the summary."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        print(f"==> {name}", flush=True)
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = time.monotonic() - started


def layer_row_counts(spark) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for layer in load_domain().layers:
        database = load_domain().database(layer)
        if not spark.catalog.databaseExists(database):
            continue
        tables = [
            t.name
            for t in spark.catalog.listTables(database)
            if t.tableType != "VIEW" and not t.isTemporary  # dbt's temp views list everywhere
        ]
        counts[layer] = {t: spark.table(f"{database}.{t}").count() for t in sorted(tables)}
    return counts


def test_outcomes(build) -> dict[str, int]:
    """Data and unit tests of a `dbt build` result, counted by status."""
    return run_log.by_status(r for r in build.result or [] if r.node.resource_type in run_log.TESTS)


def print_summary(
    stages: Stages, counts, tests: dict[str, int], fresh: dict[str, int], docs: Path
) -> None:
    print("\n==> summary")
    for layer, tables in counts.items():
        print(f"  {layer:<8} {len(tables):>3} tables {sum(tables.values()):>10} rows")
        for table, rows in tables.items():
            print(f"             {table:<40} {rows:>10}")
    print("  tests    " + ", ".join(f"{n} {status}" for status, n in sorted(tests.items())))
    print(
        "  sources  "
        + ", ".join(f"{n} {status}" for status, n in sorted(fresh.items()))
        + " (freshness)"
    )
    for name, seconds in stages.seconds.items():
        print(f"  {name:<28} {seconds:7.1f} s")
    print(f"  docs     {docs} (serve with `make docs`)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sf", default="0.01", help="TPC-H scale factor of the sample data")
    args = parser.parse_args(argv)
    root, home = repo_root(), lakehouse_dir()
    stages = Stages()

    with stages.stage("generate sample data"):
        generated = tpch.generate(args.sf, home / "tpch")
        batches = tpch.plan(generated)
        tpch.land(generated, home / "landing", batches)
    with stages.stage("start spark"):
        from lakehouse_jobs.spark import get_spark

        spark = get_spark("make-run")
        spark.sparkContext.setLogLevel("ERROR")
    with stages.stage("ingestion (raw)"):
        ingestion.run_ingestion(root, home, generated, batches)
        reconciliation = ingestion.reconcile(spark, generated)
        for r in reconciliation:
            state = "ok" if r.balanced else "MISMATCH"
            print(
                f"    {r.table:<36} source {r.source_rows:>9} = raw {r.raw_rows:>9} "
                f"+ quarantine {r.quarantined:>6}  {state}"
            )
    with stages.stage("dbt build"):
        # audited on branches, published only when every test passed; a rerun builds what
        # changed; lineage sent per build
        build = gate.run(dbt_lineage.emitting(run_dbt, str(root)), state=local_state())
        print("\n".join(gate.report(build)))
        gate_log.append(spark, run_log.record(build, None, "all"))
    with stages.stage("iceberg housekeeping"):
        # compact small files, expire snapshots outside the retention window (docs/housekeeping.md)
        housekeeping = run_dbt("run-operation", "iceberg_maintenance")
    with stages.stage("dbt docs generate"):
        docs = run_dbt("docs", "generate")
    print_summary(
        stages, layer_row_counts(spark), test_outcomes(build), run_log.by_status(build.freshness),
        target_dir() / "index.html",
    )  # fmt: skip
    if not all(r.balanced for r in reconciliation):
        print("ingestion lost or duplicated rows: see the reconciliation above.")
        return 1
    if not build.success:
        print("dbt build failed: see the gate's report above; nothing was published.")
        return 1
    return 0 if docs.success and housekeeping.success else 1


if __name__ == "__main__":
    from lakehouse.local import build_lock, metastore

    try:
        with build_lock.held(lakehouse_dir(), "make run"):
            code = main()
    except metastore.Refusal as refusal:  # another build, no Java, the port taken: one line
        print(f"error: {refusal}", file=sys.stderr)
        code = 2
    finally:
        metastore.stop(if_idle=True)  # `make run` leaves no server behind, unless others use it
    sys.exit(code)
