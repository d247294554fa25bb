"""`make bench-scaling`'s report: seconds per million source rows at each scale factor and how
the largest compares with SF 1 (no Spark: the runs' figures as the bench's processes write them)."""

from datetime import UTC, datetime

from lakehouse.bench.report import scaling_report


def run(ingestion_s: float, build_s: float, rows: int) -> dict:
    return {
        "full": {
            "ingestion": {"seconds": ingestion_s, "rows": rows},
            "dbt_build": {"seconds": build_s, "success": True},
        },
        "reconciliation_ok": True,
        "memory": {"driver_jvm_peak_mb": 2000.0, "python_peak_mb": 200.0},
    }


def test_seconds_per_million_rows_and_growth_against_sf1():
    runs = {
        "0.1": run(20, 40, 866_000),
        "1": run(150, 150, 8_660_000),
        "3": run(500, 480, 25_980_000),
    }
    report = scaling_report(runs, {"cores": 2}, datetime.now(UTC))
    points = report["points"]
    assert points["1"]["s_per_million_rows"] == round(300 / 8.66, 3)
    assert points["3"]["pipeline_s"] == 980
    assert report["largest_over_sf1_per_million_rows"] == round(
        points["3"]["s_per_million_rows"] / points["1"]["s_per_million_rows"], 3
    )
    assert all(p["success"] for p in points.values())
    assert points["0.1"]["peak_memory_mb"]["driver_jvm_peak_mb"] == 2000.0
