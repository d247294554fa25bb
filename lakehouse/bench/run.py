"""`make bench`: the pipeline's performance at a TPC-H scale factor, against the engine's floor.

    python -m lakehouse.bench --sf 1 [--small-history 0.1] [--work-dir DIR] [--out-dir DIR]

1. generates the TPC-H data (tpchgen-cli) and a second, smaller history: the most recent
   `--small-history` share of the orders (and their line items), every other table whole,
   so both histories end with the SAME daily batch;
2. runs the pipeline on each history, each in its own process and LAKEHOUSE_DIR (so that
   one history's tables never mix with the other's): full build (ingestion per table,
   `dbt build --full-refresh` per layer and model, docs), then one daily batch (ingestion +
   incremental `dbt build`), then the inner loop (`dbt build --select <curated model>`, large
   history only);
3. runs the floor (lakehouse.bench.floor) in a third process;
4. writes <out-dir>/bench-sf<SF>-<time>.json and .png and prints the summary.
Spark's start-up is measured apart and counted in neither the pipeline nor the floor.

    python -m lakehouse.bench --scaling 0.1,1,3

runs only the full pipeline at each scale factor (a process and lakehouse each) and writes
<out-dir>/scaling-<time>.json: seconds per million source rows and peak memory per SF.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root

from lakehouse.bench.report import (
    build_report,
    draw_chart,
    print_scaling,
    print_summary,
    scaling_report,
)
from lakehouse.environment import dbt_environment, fresh
from lakehouse.local import jars, tpch

INNER_MODEL = "order_volume_by_month"
ORDER_DATE_FIELD = tpch.ORDER_DATE_FIELD


def recent_history(generated: Path, fraction: float) -> Path:
    """A copy of `generated` keeping the orders of the last `fraction` of its date range (and
    their line items); the other tables are linked, unchanged. Made once and kept."""
    folder = generated.with_name(f"{generated.name}-recent{fraction}")
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    last = tpch.last_order_date(generated)
    with open(generated / "orders.csv") as orders:
        next(orders)
        first = min(line.split(",")[ORDER_DATE_FIELD] for line in orders)
    span = (last - datetime.fromisoformat(first).date()).days
    cutoff = last.toordinal() - round(span * fraction)
    kept: set[str] = set()
    with open(generated / "orders.csv") as source, open(folder / "orders.csv", "w") as out:
        out.write(source.readline())
        for line in source:
            fields = line.split(",", ORDER_DATE_FIELD + 1)
            if datetime.fromisoformat(fields[ORDER_DATE_FIELD]).toordinal() >= cutoff:
                kept.add(fields[0])
                out.write(line)
    with open(generated / "lineitem.csv") as source, open(folder / "lineitem.csv", "w") as out:
        out.write(source.readline())
        out.writelines(line for line in source if line.split(",", 1)[0] in kept)
    for table in tpch.TABLES:
        if not (folder / f"{table}.csv").exists():
            (folder / f"{table}.csv").symlink_to(generated / f"{table}.csv")
    (folder / ".complete").touch()
    return folder


def fresh_home(home: Path) -> dict[str, str]:
    """An empty lakehouse folder (jars kept) and the environment of a process working on it."""
    fresh(home)
    jars.ensure_jars(home)
    return {**os.environ, **dbt_environment(home)}


def run_child(module: str, home: Path, args: list[str]) -> tuple[dict, dict]:
    """Runs `python -m <module> ... --out <file>` on a fresh `home`; (its figures, load avg)."""
    env = fresh_home(home)
    out = home.parent / f"{home.name}.json"
    out.unlink(missing_ok=True)
    load_before = os.getloadavg()
    print(f"\n==> {module} on {home} (load average {load_before[0]:.2f})", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", module, *args, "--out", str(out)], env=env, cwd=repo_root()
    )
    if not out.exists():
        raise RuntimeError(f"{module} failed (exit code {done.returncode}) and wrote no figures")
    figures = json.loads(out.read_text())
    figures["exit_code"] = done.returncode
    load = {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)}
    return figures, load


def versions() -> dict[str, str]:
    from importlib.metadata import version

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    return {
        "python": platform.python_version(),
        "java": java.splitlines()[0] if java else "",
        "spark": version("pyspark"),
        "iceberg": jars.ICEBERG_RUNTIME,
        "dbt-core": version("dbt-core"),
        "dbt-spark": version("dbt-spark"),
        "tpchgen-cli": version("tpchgen-cli"),
    }


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(int(meminfo[1]) / 1024 / 1024, 1),
        "platform": platform.platform(),
        "driver_memory": os.environ.get("LAKEHOUSE_DRIVER_MEMORY", "4g"),
        "shuffle_partitions": os.environ.get("LAKEHOUSE_SHUFFLE_PARTITIONS", "4"),
        "versions": versions(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sf", default="1", help="TPC-H scale factor (the large history)")
    parser.add_argument(
        "--small-history",
        type=float,
        default=0.1,
        help="share of the order history kept in the small history (same daily batch)",
    )
    parser.add_argument("--work-dir", type=Path, help="default: $LAKEHOUSE_DIR/bench")
    parser.add_argument("--out-dir", type=Path, help="default: bench/results in the checkout")
    parser.add_argument("--inner-model", default=INNER_MODEL)
    parser.add_argument(
        "--skip-dbt-tests",
        action="store_true",
        help="dbt builds without data and unit tests: only for the bench's own smoke test",
    )
    parser.add_argument(
        "--scaling", help="only the full pipeline, at each of these scale factors (e.g. 0.1,1,3)"
    )
    args = parser.parse_args(argv)
    work = (args.work_dir or lakehouse_dir() / "bench").absolute()
    out_dir = (args.out_dir or repo_root() / "bench" / "results").absolute()
    started = datetime.now(UTC)
    load_start = os.getloadavg()
    quick = ["--skip-dbt-tests"] if args.skip_dbt_tests else []
    if args.scaling:
        return scaling(args.scaling.split(","), work, out_dir, started, load_start, quick)

    print(f"==> TPC-H SF {args.sf} and its {args.small_history:.0%} recent history", flush=True)
    large = tpch.generate(args.sf, work / "tpch")
    small = recent_history(large, args.small_history)
    floor, floor_load = run_child(
        "lakehouse.bench.floor", work / "floor", ["--generated", str(large)]
    )
    big, big_load = run_child(
        "lakehouse.bench.lakehouse",
        work / "large",
        ["--generated", str(large), "--inner-model", args.inner_model, "--docs", *quick],
    )
    little, little_load = run_child(
        "lakehouse.bench.lakehouse", work / "small", ["--generated", str(small), *quick]
    )
    report = build_report(
        scale_factor=args.sf,
        small_history=args.small_history,
        dbt_tests_skipped=args.skip_dbt_tests,
        machine={
            **machine(),
            "load_average": {
                "start": [round(x, 2) for x in load_start],
                "end": [round(x, 2) for x in os.getloadavg()],
                "floor": floor_load,
                "large": big_load,
                "small": little_load,
            },
        },
        large=big,
        small=little,
        floor=floor,
        started=started,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"bench-sf{args.sf}-{started:%Y%m%dT%H%M%SZ}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    draw_chart(report, stem.with_suffix(".png"))
    print_summary(report)
    print(f"\n  report {stem.with_suffix('.json')}\n  chart  {stem.with_suffix('.png')}")
    ok = all(r["exit_code"] == 0 for r in (big, little, floor))
    return 0 if ok and report["checks"]["curated_rows_match_floor"] else 1


def scaling(factors, work: Path, out_dir: Path, started, load_start, quick) -> int:
    runs, loads = {}, {}
    for sf in factors:
        generated = tpch.generate(sf, work / "tpch")
        runs[sf], loads[sf] = run_child(
            "lakehouse.bench.lakehouse", work / f"scaling-sf{sf}",
            ["--generated", str(generated), "--full-only", *quick],
        )  # fmt: skip
    load = {"start": [round(x, 2) for x in load_start], "per_sf": loads}
    report = scaling_report(runs, {**machine(), "load_average": load}, started)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"scaling-{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print_scaling(report)
    print(f"\n  report {path}")
    return 0 if all(p["success"] for p in report["points"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
