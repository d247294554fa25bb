"""`make bench` at a tiny scale factor: proves the benchmark runs end to end and reports sane
figures. Not a performance test: nothing here asserts a target.

The bench starts its own processes (two lakehouses and the floor, one JVM each) on temporary
folders; it never touches the shared test lakehouse or the checkout's .lakehouse/. It starts
with the test session and runs beside the rest of the suite; these tests run last and wait for
it (conftest.py).
"""

import filecmp
import os

import pytest
from smoke_bench import SF, SMALL_HISTORY

from lakehouse.bench import run as bench
from lakehouse.local import tpch

pytestmark = pytest.mark.integration

CURATED = (
    "customer_lifetime_value",
    "order_shipping_priority",
    "order_volume_by_month",
    "pricing_summary",
    "revenue_by_nation_and_year",
    "supplier_delivery_performance",
)


def test_bench_exits_cleanly_and_prints_the_ratios(bench_run):
    done, _, path, _ = bench_run
    assert done.returncode == 0, done.stdout[-4000:]
    for label in ("pipeline_over_floor", "incremental_over_full", "history_large_over_small"):
        assert label in done.stdout
    assert path.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_has_the_machine_and_every_figure(bench_run):
    _, report, _, _ = bench_run
    machine = report["machine"]
    assert machine["cores"] == os.cpu_count()
    assert machine["memory_gb"] > 0
    assert machine["versions"]["spark"].startswith("3.5")
    assert len(machine["load_average"]["start"]) == 3
    found = report["figures"]
    for key in (
        "floor_s",
        "pipeline_s",
        "full_ingestion_s",
        "full_dbt_build_s",
        "docs_s",
        "incremental_s",
        "incremental_small_history_s",
        "inner_loop_s",
        "inner_loop_first_s",
        "full_publish_s",
        "incremental_publish_s",
    ):
        assert found[key] > 0, key
    # the gate's publish is part of its build, timed apart
    assert found["full_publish_s"] < found["full_dbt_build_s"]
    assert found["pipeline_s"] == pytest.approx(
        found["full_ingestion_s"] + found["full_dbt_build_s"]
    )
    assert {"staging", "refined", "curated"} <= set(found["full_dbt_build_per_layer_s"])
    # dbt's threads overlap nodes: the chart's per-layer split never exceeds the wall clock
    wall_split = sum(found["full_dbt_build_per_layer_wall_s"].values())
    assert wall_split + found["full_dbt_overhead_s"] == pytest.approx(
        found["full_dbt_build_s"], abs=0.05
    )
    assert report["dbt_tests_skipped"] is True
    assert all(rate > 0 for rate in found["rows_per_s"].values())
    assert found["peak_memory_mb"]["pipeline"]["driver_jvm_peak_mb"] > 100
    assert found["peak_memory_mb"]["floor"]["driver_jvm_peak_mb"] > 100


def test_ratios_are_the_figures_divided(bench_run):
    _, report, _, _ = bench_run
    found, ratios = report["figures"], report["ratios"]
    assert set(ratios) == {
        "pipeline_over_floor",
        "incremental_over_full",
        "history_large_over_small",
        "inner_loop_s",
        "publish_share_full",
        "publish_share_incremental",
    }
    assert ratios["publish_share_full"] == pytest.approx(
        found["full_publish_s"] / found["full_dbt_build_s"], abs=1e-3
    )
    assert ratios["pipeline_over_floor"] == pytest.approx(
        found["pipeline_s"] / found["floor_s"], abs=1e-3
    )
    assert ratios["incremental_over_full"] == pytest.approx(
        found["incremental_s"] / found["pipeline_s"], abs=1e-3
    )
    assert ratios["history_large_over_small"] == pytest.approx(
        found["incremental_s"] / found["incremental_small_history_s"], abs=1e-3
    )
    assert ratios["inner_loop_s"] == found["inner_loop_s"]


def test_rows_add_up_across_pipeline_and_floor(bench_run):
    _, report, _, work = bench_run
    generated = work / "tpch" / f"sf{SF}"
    lines = {t: len((generated / f"{t}.csv").read_text().splitlines()) - 1 for t in tpch.TABLES}
    rows = report["figures"]["rows"]
    # the history plus the one daily batch is every generated row; the floor reads the history
    assert rows["history"] + rows["daily_batch"] == sum(lines.values())
    assert rows["floor"] == rows["history"]
    assert 0 < rows["daily_batch"] < rows["small_history"] < rows["history"]
    checks = report["checks"]
    assert checks == {
        "curated_rows_match_floor": True,
        "reconciliation_ok": True,
        "builds_succeeded": True,
    }
    floor = report["runs"]["floor"]["rows"]
    built = report["runs"]["large_history"]["rows_after_full"]["curated"]
    assert {t: floor[t] for t in CURATED} == {t: built[t] for t in CURATED}
    assert built["customer_lifetime_value"] == lines["customer"]


def test_per_table_ingestion_and_per_model_dbt_timings(bench_run):
    _, report, _, _ = bench_run
    full = report["runs"]["large_history"]["full"]
    tables = {t["table"]: t for job in full["ingestion"]["jobs"] for t in job["tables"]}
    assert {
        "cmr_raw.sales__orders",
        "cmr_raw.sales__lineitem",
        "cmr_raw.customers__customer",
    } <= set(tables)
    assert all(t["seconds"] > 0 and t["rows_read"] > 0 for t in tables.values())
    nodes = full["dbt_build"]["nodes"]
    assert {nodes[m]["layer"] for m in CURATED} == {"curated"}
    assert nodes["orders"]["layer"] == "refined" and nodes["orders"]["status"] == "success"
    inner = report["runs"]["large_history"]["inner_loop"]
    assert inner["model"] == "order_volume_by_month" and inner["success"]
    assert set(inner["nodes"]) == {"order_volume_by_month"}
    assert inner["first_s"] > 0  # the first run after the gate (a whole parse), reported apart


def test_small_history_ends_with_the_same_daily_batch(bench_run):
    _, _, _, work = bench_run
    large = work / "tpch" / f"sf{SF}"
    small = bench.recent_history(large, SMALL_HISTORY)  # made by the run: reused, not rebuilt
    plans = tpch.plan(large, daily=1), tpch.plan(small, daily=1)
    assert plans[0] == plans[1]
    daily = plans[0].daily[0]
    folders = [tpch.split(g, p) / daily for g, p in zip((large, small), plans, strict=True)]
    for table in tpch.DAILY_TABLES:
        assert filecmp.cmp(folders[0] / f"{table}.csv", folders[1] / f"{table}.csv", shallow=False)
