"""Daily batches merged one build at a time give the same tables as one build over all data.

The shared lakehouse holds a history batch plus daily batches of orders and lineitems. The
test hides the last daily batches, rebuilds refined and curated from the rest (full refresh),
then brings the hidden batches back one at a time, each followed by an incremental build, and
compares every curated table and both incremental facts with the one-build state. Each
incremental build reads only its batch's share of the history: the facts' merges are bounded
to the batch's dates (seen in the merge's query plan) and the data products rebuild only the
periods the batch touched (seen in the compiled model). It leaves the lakehouse as it found it
(same raw partitions, same table contents).
"""

import re

import pytest
from lakehouse_state import fingerprint, fingerprints, partition_location

from lakehouse.environment import target_dir
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

DAILY_RAW = ("cmr_raw.sales__orders", "cmr_raw.sales__lineitem")
FACTS = ("cmr_refined.orders", "cmr_refined.lineitems")
SELECTION = ("--select", "orders+ lineitems+")
REPLAYED = 2  # daily batches replayed one build each


def batches_in_ingestion_order(spark, table: str) -> list[str]:
    rows = spark.sql(
        f"select _batch_id from {table} group by _batch_id order by min(_ingested_at)"
    ).collect()
    return [r[0] for r in rows]


def hide(spark, table: str, batch: str) -> str:
    """Detaches a batch's partition from the raw table (its files stay); returns its folder."""
    location = partition_location(spark, table, f"_batch_id = '{batch}'")
    spark.sql(f"alter table {table} drop partition (_batch_id = '{batch}')")
    return location


def show(spark, table: str, batch: str, location: str) -> None:
    spark.sql(f"alter table {table} add partition (_batch_id = '{batch}') location '{location}'")


def state(spark) -> dict:
    return {**fingerprints(spark, "curated"), **{t: fingerprint(spark, t) for t in FACTS}}


def build(*args: str) -> None:
    result = run_dbt("run", *SELECTION, *args)
    assert result.success, [str(r.message) for r in result.result if str(r.status) != "success"]


def written(kind: str, project: str, layer: str, model: str) -> str:
    """What dbt ran (`run`: the model's main statement) or compiled (`compiled`: its query)."""
    return (
        target_dir() / kind / "lakehouse" / "models" / project / layer / f"{model}.sql"
    ).read_text()


def target_scan_filters(spark, model: str, column: str) -> list[str]:
    """The filters on `column` of every scan of the merge's target (the merge as dbt ran it,
    explained in the same session: its temporary view and the bounds its pre-hook set)."""
    plan = spark.sql("explain extended " + written("run", "sales", "refined", model)).first()[0]
    physical = plan[plan.index("== Physical Plan ==") :]
    scans = re.findall(
        rf"BatchScan spark_catalog\.cmr_refined\.{model}\[.*?\[filters=(.*?), groupedBy", physical
    )
    return [
        {f.split(" ")[1] for f in found.split(", ") if f.startswith(f"{column} ")}
        for found in scans
    ]


def batch_months(spark, batch: str) -> list[str]:
    return [r[0] for r in spark.sql(
        "select distinct cast(date_trunc('month', o_orderdate) as date) from cmr_raw.sales__orders"
        f" where _batch_id = '{batch}'").collect()]  # fmt: skip


def test_daily_batches_built_one_by_one_equal_one_build_over_all_data(lakehouse):
    spark = lakehouse.spark
    one_build = state(spark)
    batches = batches_in_ingestion_order(spark, DAILY_RAW[0])
    assert len(batches) > REPLAYED, f"needs a history batch and daily batches, found {batches}"
    replayed = batches[-REPLAYED:]
    assert batches_in_ingestion_order(spark, DAILY_RAW[1])[-REPLAYED:] == replayed

    hidden = {(t, b): hide(spark, t, b) for b in replayed for t in DAILY_RAW}
    try:
        build("--full-refresh")
        sizes = [spark.table(FACTS[0]).count()]
        for batch in replayed:
            for table in DAILY_RAW:
                show(spark, table, batch, hidden.pop((table, batch)))
            build()
            sizes.append(spark.table(FACTS[0]).count())
            for model, column in (("orders", "ordered_on"), ("lineitems", "shipped_on")):
                scans = target_scan_filters(spark, model, column)
                assert len(scans) == 2, "the merge's two scans of its target (files, then rows)"
                for operators in scans:  # >= the batch's lowest, <= its highest (as days)
                    assert {">=", "<="} <= operators, (model, scans)
            volume = written("compiled", "sales", "curated", "order_volume_by_month")
            for month in batch_months(spark, batch):
                assert f"cast('{month}' as date)" in volume  # the batch's month, rebuilt
            assert volume.count("as date)") < 10, "only the batch's months, not the history's"
    finally:
        for (table, batch), location in hidden.items():
            show(spark, table, batch, location)

    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # each batch added orders
    assert state(spark) == one_build
