"""Daily batches merged one build at a time give the same tables as one build over all data.

The shared lakehouse holds a history batch plus daily batches of orders and lineitems. The
test hides the last daily batches, rebuilds refined and curated from the rest (full refresh),
then brings the hidden batches back one at a time, each followed by an incremental build, and
compares every curated table and both incremental facts with the one-build state. It leaves
the lakehouse as it found it (same raw partitions, same table contents).
"""

import pytest
from lakehouse_state import fingerprint, fingerprints, partition_location

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
    finally:
        for (table, batch), location in hidden.items():
            show(spark, table, batch, location)

    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # each batch added orders
    assert state(spark) == one_build
