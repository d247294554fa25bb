"""A gated incremental build tests what is not yet published (macros/audit/audit_delta.sql):
the tests of `orders` (and of its staging view) read the rows newer than main's newest, a new
key is unique against the whole table, and the reconciliation narrows raw to the same rows.
A bad row among them still fails the gate. Runs on the shared lakehouse and restores it."""

import pytest
from lakehouse_state import current_snapshot, fingerprint

from lakehouse import gate
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

ORDERS = "cmr_refined.orders"
BRANCH = gate.audit_branch()
AUDITED = ("--vars", f"{{audit_branch: {BRANCH}}}")


def failures(result) -> dict[str, int]:
    return {r.node.name: r.failures for r in result.result if str(r.status) == "fail"}


def compiled(result, name: str) -> str:
    (code,) = [r.node.compiled_code for r in result.result if r.node.name == name]
    return code


def restore(spark) -> None:
    """Drops the unpublished write, then tests main again: the stored failures (cmr_audit) are
    the last run's, and the next tests read them."""
    spark.sql("reset spark.wap.branch")
    spark.sql(f"alter table {ORDERS} drop branch if exists `{BRANCH}`")
    plain = run_dbt("test", "--select", "stg_erp__orders", "orders")
    assert plain.success, failures(plain)


def test_tests_of_a_gated_incremental_build_read_the_unpublished_rows(lakehouse):
    spark = lakehouse.spark
    main = (current_snapshot(spark, ORDERS), fingerprint(spark, ORDERS))
    newest = lakehouse.rows(f"select cast(max(ingested_at) as string) from {ORDERS}")[0][0]
    scope = f"ingested_at > timestamp'{newest}'"
    try:
        # an unpublished write (as a merge of the day would make) that repeats a published key
        spark.sql(f"set spark.wap.branch = {BRANCH}")
        spark.sql(
            f"insert into {ORDERS} select order_id, customer_id, order_status, order_priority, "
            "clerk_name, order_comment, total_price, ship_priority, ordered_on, batch_id, "
            f"current_timestamp() from {ORDERS} "
            f"where order_id = (select min(order_id) from {ORDERS})"
        )
        spark.sql("reset spark.wap.branch")

        audited = run_dbt("test", "--select", "stg_erp__orders", "orders", *AUDITED)
        # the new row's key, counted against the whole table; raw has no such new row
        assert failures(audited) == {
            "unique_orders_order_id": 1,
            "reconciles_with_raw_orders_source_erp_orders___o_orderkey__o_totalprice": 1,
        }
        assert scope in compiled(audited, "not_null_orders_order_id")
        assert scope in compiled(audited, "accepted_values_orders_order_status__F__O__P")
        unique = compiled(audited, "unique_orders_order_id")
        assert f"left semi join (select order_id from {ORDERS} where {scope})" in unique
        # the staging view's raw rows, against the newest row published in orders
        staged = compiled(audited, "unique_combination_stg_erp__orders_order_id__batch_id")
        assert f"where {scope}) as delta" in staged

        # a plain `dbt test` (no gate) reads main, whole, as dbt always does
        plain = run_dbt("test", "--select", "orders")
        assert plain.success and failures(plain) == {}
        assert "timestamp'" not in compiled(plain, "not_null_orders_order_id")
    finally:
        restore(spark)
    assert (current_snapshot(spark, ORDERS), fingerprint(spark, ORDERS)) == main


def test_an_unpublished_row_that_moves_a_key_to_another_period_fails_the_gate(lakehouse):
    """Data products rebuilt by period and merges bounded to the batch's partitions rely on a
    key keeping its period: a batch that moves an order to another month is refused."""
    spark = lakehouse.spark
    main = (current_snapshot(spark, ORDERS), fingerprint(spark, ORDERS))
    (order_id, ordered_on), *_ = lakehouse.rows(
        f"select order_id, ordered_on from {ORDERS} order by order_id limit 1"
    )
    try:
        spark.sql(f"set spark.wap.branch = {BRANCH}")
        spark.sql(
            f"insert into {ORDERS} select order_id, customer_id, order_status, order_priority, "
            "clerk_name, order_comment, total_price, ship_priority, add_months(ordered_on, -13), "
            f"batch_id, current_timestamp() from {ORDERS} where order_id = {order_id}"
        )
        spark.sql("reset spark.wap.branch")
        audited = run_dbt("test", "--select", "orders", *AUDITED)
        moved = "keeps_its_period_orders_ordered_on__order_id"
        assert failures(audited)[moved] == 1
        assert failures(audited)["unique_orders_order_id"] == 1
        stored = lakehouse.rows(
            f"select order_id, published_ordered_on, unpublished_ordered_on from cmr_audit.{moved}"
        )
        [(key, published, unpublished)] = stored
        assert (key, published) == (order_id, ordered_on)
        assert (
            unpublished.year * 12 + unpublished.month == published.year * 12 + published.month - 13
        )
    finally:
        restore(spark)
    assert (current_snapshot(spark, ORDERS), fingerprint(spark, ORDERS)) == main
