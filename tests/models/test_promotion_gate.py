"""A failing refined test stops promotion: the build fails (so `make run` exits 1) and the
curated tables keep their last good state. Runs on the shared lakehouse and restores it."""

import shutil
from pathlib import Path

import pytest
from lakehouse_state import current_snapshot, fingerprint, partition_location, tables

from lakehouse import gate
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

RAW_ORDERS = "cmr_raw.sales__orders"
REFINED_ORDERS = "cmr_refined.orders"
BAD_BATCH = "9999-12-31"  # sorts and ingests after every real batch
UNKNOWN_CUSTOMER = -1


def inject_order_of_unknown_customer(spark) -> int:
    """One new raw order that passes every raw contract check but names no known customer."""
    from pyspark.sql import functions as F

    raw = spark.table(RAW_ORDERS)
    order_id = raw.agg(F.max("o_orderkey")).first()[0] + 1
    template = raw.limit(1).collect()
    bad = (
        spark.createDataFrame(template, raw.schema)
        .withColumn("o_orderkey", F.lit(order_id).cast("bigint"))
        .withColumn("o_custkey", F.lit(UNKNOWN_CUSTOMER).cast("bigint"))
        .withColumn("_batch_id", F.lit(BAD_BATCH))
        .withColumn("_ingested_at", F.current_timestamp())
    )
    bad.select(*raw.columns).write.insertInto(RAW_ORDERS)
    return order_id


def drop_batch(spark, table: str, batch: str) -> None:
    location = partition_location(spark, table, f"_batch_id = '{batch}'")
    spark.sql(f"alter table {table} drop if exists partition (_batch_id = '{batch}')")
    shutil.rmtree(Path(location.removeprefix("file:")), ignore_errors=True)


def outcome(build, name: str) -> str:
    (status,) = [str(r.status) for r in build.result if r.node.name == name]
    return status


def test_a_failing_refined_test_keeps_curated_tables_at_their_last_good_state(lakehouse):
    spark = lakehouse.spark
    curated = tables(spark, "curated")
    before = {t: (current_snapshot(spark, t), fingerprint(spark, t)) for t in curated}
    good_orders = current_snapshot(spark, REFINED_ORDERS)
    order_id = inject_order_of_unknown_customer(spark)
    try:
        build = gate.run(run_dbt, narrow="orders+")  # make run's dbt stage, narrowed to orders

        assert not build.success  # lakehouse.local.pipeline (make run) exits 1 on this
        assert outcome(build, "orders") == "success"
        failed = [r for r in build.result if str(r.status) == "fail"]
        assert [r.node.name for r in failed] == [
            "relationships_orders_customer_id__customer_id__ref_customers_"
        ]
        assert failed[0].failures == 1
        # not one curated model ran, not even those reading orders alone (order volume)
        assert not [r for r in build.result if r.node.schema == "cmr_curated"]
        after = {t: (current_snapshot(spark, t), fingerprint(spark, t)) for t in curated}
        assert after == before
        stored = failed[0].node.relation_name
        assert lakehouse.rows(f"select * from {stored}") == [(UNKNOWN_CUSTOMER,)]
        assert lakehouse.rows(
            f"select customer_id from {REFINED_ORDERS} where order_id = {order_id}"
        ) == [(UNKNOWN_CUSTOMER,)]
    finally:
        drop_batch(spark, RAW_ORDERS, BAD_BATCH)
        spark.sql(
            f"call spark_catalog.system.rollback_to_snapshot('{REFINED_ORDERS}', {good_orders})"
        )
    assert lakehouse.rows(f"select count(*) from {REFINED_ORDERS} where order_id = {order_id}") == [
        (0,)
    ]
