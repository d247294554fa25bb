"""The slice end to end: landing CSV -> raw -> staging -> refined Iceberg -> curated Iceberg."""

import csv
import json
from collections import defaultdict
from decimal import Decimal

import pytest

from lakehouse.local import pipeline, tpch

pytestmark = pytest.mark.integration


def landing_orders(lakehouse):
    with open(lakehouse.generated / "orders.csv", newline="") as f:
        return list(csv.DictReader(f))


def expected_monthly_volume(orders):
    totals = defaultdict(lambda: [0, Decimal("0")])
    for order in orders:
        key = (order["o_orderdate"][:7] + "-01", order["o_orderstatus"])
        totals[key][0] += 1
        totals[key][1] += Decimal(order["o_totalprice"])
    return {k: (n, s) for k, (n, s) in totals.items()}


def test_pipeline_exits_zero(lakehouse):
    assert lakehouse.exit_code == 0


def test_raw_holds_every_landing_row_with_lineage(lakehouse):
    orders = landing_orders(lakehouse)
    ((count, batches, first_row),) = lakehouse.rows(
        "select count(*), count(distinct _batch_id), min(_source_row) from cmr_raw.sales__orders"
    )
    # a history batch plus the daily ones; row numbers are file lines (line 1 is the header)
    assert (count, batches, first_row) == (len(orders), 1 + tpch.DAILY_BATCHES, 2)


def test_refined_orders_are_exactly_typed_and_lossless(lakehouse):
    orders = landing_orders(lakehouse)
    types = {
        f.name: f.dataType.simpleString()
        for f in lakehouse.spark.table("cmr_refined.orders").schema
    }
    assert types["order_id"] == "bigint"
    assert types["total_price"] == "decimal(15,2)"
    assert types["ordered_on"] == "date"
    ((count, distinct, total),) = lakehouse.rows(
        "select count(*), count(distinct order_id), sum(total_price) from cmr_refined.orders"
    )
    assert count == distinct == len(orders)
    assert total == sum(Decimal(o["o_totalprice"]) for o in orders)


def test_refined_and_curated_are_iceberg_tables(lakehouse):
    for table in ("cmr_refined.orders", "cmr_curated.order_volume_by_month"):
        details = {r[0]: r[1] for r in lakehouse.rows(f"describe table extended {table}")}
        provider = details["Provider"]
        assert provider == "iceberg", table
    assert lakehouse.rows("select count(*) from cmr_refined.orders.snapshots")[0][0] >= 1


def test_curated_monthly_volume_reconciles_with_the_source_file(lakehouse):
    expected = expected_monthly_volume(landing_orders(lakehouse))
    actual = {
        (str(month), status): (count, value)
        for month, status, count, value in lakehouse.rows(
            "select order_month, order_status, order_count, total_order_value "
            "from cmr_curated.order_volume_by_month"
        )
    }
    assert actual == expected


def test_docs_catalog_lists_every_built_model_with_its_columns(lakehouse):
    manifest = json.loads((lakehouse.target / "manifest.json").read_text())
    catalog = json.loads((lakehouse.target / "catalog.json").read_text())
    models = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    assert models
    for unique_id, node in models.items():
        assert unique_id in catalog["nodes"], f"{unique_id} missing from catalog.json"
        columns = set(catalog["nodes"][unique_id]["columns"])
        assert set(node["columns"]) <= columns, unique_id
    assert "source.lakehouse.erp.orders" in catalog["sources"]


def test_a_second_run_is_idempotent_and_its_summary_shows_tests_and_freshness(lakehouse, capsys):
    def counts():  # of data tables: run logs (the jobs', the gate's) and lineage events grow
        layers = pipeline.layer_row_counts(lakehouse.spark)
        grow = ("_ingestion_runs", "_gate_runs", "lineage_events")
        return {k: {t: n for t, n in v.items() if not t.endswith(grow)} for k, v in layers.items()}

    before = counts()
    capsys.readouterr()
    assert pipeline.main(["--sf", lakehouse.generated.name.removeprefix("sf")]) == 0
    assert counts() == before
    out = capsys.readouterr().out
    assert "gate: freshness: 8 of 8 sources fresh" in out
    assert "\n  sources  8 pass (freshness)\n" in out
    (dupes,) = lakehouse.rows(
        "select count(*) from "
        "(select order_id from cmr_refined.orders group by 1 having count(*) > 1)"
    )[0]
    assert dupes == 0
