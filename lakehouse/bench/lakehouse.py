"""One lakehouse of the benchmark, in a process of its own (embedded Derby: one JVM per
LAKEHOUSE_DIR): the `make run` pipeline, timed stage by stage.

    python -m lakehouse.bench.lakehouse --generated <tpch folder> --out <result.json>
        [--inner-model order_volume_by_month] [--docs] [--skip-dbt-tests]

1. history: land every batch, ingest the history batch, the gate with `--full-refresh`, docs;
2. incremental: ingest the daily batch, the gate (merges into the refined facts);
3. inner loop: `dbt build --select <inner model>` twice on the now warm project, as a developer
   repeats it; the second is the figure. The first parses the whole project again (the gate's
   builds ran with other `--vars`, which dbt's partial parsing cannot reuse): `first_s`.
The gate is `make run`'s (lakehouse.gate: both stages on the audit branch, then the publish);
its publish is timed apart, so the report shows what publishing costs.
Spark's start-up is timed on its own and is part of none of the stages. LAKEHOUSE_DIR,
DBT_TARGET_PATH and DBT_LOG_PATH come from the environment (the parent sets them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root

from lakehouse import gate
from lakehouse.bench.measure import JobEvents, Timer, combined, dbt_timings, peak_memory_mb
from lakehouse.environment import target_dir
from lakehouse.local import ingestion, tpch
from lakehouse.local.dbt import run_dbt
from lakehouse.local.gate import local_state
from lakehouse.local.pipeline import Stages, layer_row_counts

DAILY_BATCHES = 1  # the incremental run measures one daily batch


def timed_ingestion(root: Path, home: Path, generated: Path, plan, batches) -> dict:
    with JobEvents() as events, Timer() as clock:
        ingestion.run_ingestion(root, home, generated, plan, only=batches)
    rows = sum(t["rows_read"] or 0 for job in events.jobs for t in job["tables"])
    return {"seconds": clock.seconds, "rows": rows, "jobs": events.jobs}


NO_TESTS: tuple[str, ...] = ()  # --skip-dbt-tests: the bench's own smoke test, never a report


def timed_dbt(*args: str) -> dict:
    with Timer() as clock:
        result = run_dbt(*args, *(NO_TESTS if args[0] == "build" else ()))
    return {"seconds": clock.seconds, "success": result.success, **dbt_timings(target_dir())}


def timed_gate(*extra: str) -> dict:
    """The gate as `make run` runs it: dbt's timings of both stages, the publish apart."""
    stages: list[dict] = []
    publish = {"seconds": 0.0}

    def runner(*args: str):
        with Timer() as clock:
            result = run_dbt(*args)
        if args[0] == "build":
            stages.append(dbt_timings(target_dir()))
        else:
            publish["seconds"] = clock.seconds
        return result

    with Timer() as clock:
        outcome = gate.run(runner, extra=(*extra, *NO_TESTS), state=local_state())
    return {
        "seconds": clock.seconds,
        "success": outcome.success,
        "publish_s": round(publish["seconds"], 3),
        **combined(stages),
    }


def measure(generated: Path, inner_model: str | None, docs: bool, full_only: bool = False) -> dict:
    root, home = repo_root(), lakehouse_dir()
    stages = Stages()
    # the full build alone ingests every row as its history (and reconciles them all)
    plan = tpch.plan(generated, daily=0 if full_only else DAILY_BATCHES)
    with stages.stage("land the batches"):
        tpch.land(generated, home / "landing", plan)
    with stages.stage("start spark"):
        from lakehouse_jobs.spark import get_spark

        spark = get_spark("bench")
        spark.sparkContext.setLogLevel("ERROR")
    result: dict = {"plan": {"history": plan.history, "daily": list(plan.daily)}}
    with stages.stage("full: ingest the history"):
        history = timed_ingestion(root, home, generated, plan, (plan.history,))
    with stages.stage("full: the gate, --full-refresh"):
        build = timed_gate("--full-refresh")
    result["full"] = {"ingestion": history, "dbt_build": build}
    if docs:
        with stages.stage("full: dbt docs generate"):
            result["full"]["docs"] = {"seconds": timed_dbt("docs", "generate")["seconds"]}
    result["rows_after_full"] = layer_row_counts(spark)
    if full_only:
        result["reconciliation_ok"] = all(r.balanced for r in ingestion.reconcile(spark, generated))
        result["memory"] = peak_memory_mb()
        return result
    with stages.stage("incremental: ingest the daily batch"):
        daily = timed_ingestion(root, home, generated, plan, plan.daily)
    with stages.stage("incremental: the gate"):
        incremental = timed_gate()
    result["incremental"] = {"ingestion": daily, "dbt_build": incremental}
    if inner_model:
        with stages.stage(f"inner loop: dbt build --select {inner_model}"):
            first = timed_dbt("build", "--select", inner_model)
            inner = timed_dbt("build", "--select", inner_model)
        result["inner_loop"] = {"model": inner_model, "first_s": first["seconds"], **inner}
    result["reconciliation_ok"] = all(r.balanced for r in ingestion.reconcile(spark, generated))
    result["rows_after_incremental"] = layer_row_counts(spark)
    result["spark_start_s"] = round(stages.seconds["start spark"], 3)
    result["stages_s"] = {k: round(v, 3) for k, v in stages.seconds.items()}
    result["memory"] = peak_memory_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=Path, required=True, help="TPC-H CSV folder")
    parser.add_argument("--out", type=Path, required=True, help="where to write the figures")
    parser.add_argument("--inner-model", help="curated model of the inner-loop measurement")
    parser.add_argument("--docs", action="store_true", help="time `dbt docs generate` too")
    parser.add_argument(
        "--skip-dbt-tests", action="store_true", help="builds without data/unit tests (smoke test)"
    )
    parser.add_argument("--full-only", action="store_true", help="the full build alone (scaling)")
    args = parser.parse_args(argv)
    if args.skip_dbt_tests:
        global NO_TESTS
        NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    result = measure(args.generated, args.inner_model, args.docs, args.full_only)
    args.out.write_text(json.dumps(result, indent=2))
    builds = [result["full"]["dbt_build"]]
    builds += [result["incremental"]["dbt_build"]] if "incremental" in result else []
    builds += [result["inner_loop"]] if "inner_loop" in result else []
    return 0 if all(b["success"] for b in builds) and result["reconciliation_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
