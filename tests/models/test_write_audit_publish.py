"""Write-audit-publish (lakehouse.gate, macros/audit): a failing test publishes nothing. Every
refined and curated table keeps its main snapshot and rows, the audit branch holds the new
data, the stored failures name the rows, `make run` would exit 1, housekeeping waits; the next
good batch publishes both days, even after compaction moved main. Runs on the shared lakehouse
and restores it."""

import shutil
from pathlib import Path

import pytest
from checkout import copy_dbt_project
from lakehouse_state import current_snapshot, fingerprint, is_iceberg, partition_location, tables

from lakehouse import gate
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

RAW_ORDERS = "cmr_raw.sales__orders"
RAW_CUSTOMERS = "cmr_raw.customers__customer"
REFINED_ORDERS = "cmr_refined.orders"
BAD_BATCH = "9999-12-31"  # sorts and ingests after every real batch
UNKNOWN_CUSTOMER = -1
BRANCH = gate.audit_branch()


def inject(spark, table: str, changes: dict[str, int]) -> None:
    """One new raw row of BAD_BATCH, a copy of an existing one with `changes`: it passes every
    raw contract check."""
    from pyspark.sql import functions as F

    raw = spark.table(table)
    row = spark.createDataFrame(raw.limit(1).collect(), raw.schema)
    for column, value in changes.items():
        row = row.withColumn(column, F.lit(value).cast(raw.schema[column].dataType))
    row = row.withColumn("_batch_id", F.lit(BAD_BATCH)).withColumn(
        "_ingested_at", F.current_timestamp()
    )
    row.select(*raw.columns).write.insertInto(table)


def drop_batch(spark, table: str, batch: str) -> None:
    location = partition_location(spark, table, f"_batch_id = '{batch}'")
    spark.sql(f"alter table {table} drop if exists partition (_batch_id = '{batch}')")
    shutil.rmtree(Path(location.removeprefix("file:")), ignore_errors=True)


def published(spark) -> dict[str, tuple[int, tuple[int, str]]]:
    """Main's snapshot and rows of every Iceberg table of refined and curated."""
    found = {}
    for table in tables(spark, "refined") + tables(spark, "curated"):
        if is_iceberg(spark, table):
            found[table] = (current_snapshot(spark, table), fingerprint(spark, table))
    return found


def branch_head(spark, table: str) -> int | None:
    rows = spark.sql(f"select snapshot_id from {table}.refs where name = '{BRANCH}'").collect()
    return rows[0][0] if rows else None


def maintained_at(spark, table: str) -> str:
    """When housekeeping last went through the table (its table property)."""
    return spark.sql(f"show tblproperties {table} ('lakehouse.maintained-at')").first()[1]


def outcome(build, name: str) -> str:
    (status,) = [str(r.status) for r in build.result if r.node.name == name]
    return status


def restore(spark, before: dict) -> None:
    """The shared lakehouse as it was: no injected raw rows, no audit branch, every main back."""
    for table in (RAW_ORDERS, RAW_CUSTOMERS):
        if spark.table(table).where(f"_batch_id = '{BAD_BATCH}'").limit(1).count():
            drop_batch(spark, table, BAD_BATCH)
    for table, (snapshot, _) in before.items():
        if branch_head(spark, table) is not None:
            spark.sql(f"alter table {table} drop branch `{BRANCH}`")
        if current_snapshot(spark, table) != snapshot:
            spark.sql(f"call spark_catalog.system.rollback_to_snapshot('{table}', {snapshot})")


def test_a_failing_test_publishes_nothing_and_the_next_good_batch_publishes_both(lakehouse):
    spark = lakehouse.spark
    before = published(spark)
    newest = lakehouse.rows(f"select cast(max(ingested_at) as string) from {REFINED_ORDERS}")[0][0]
    unpublished = f"ingested_at > timestamp'{newest}'"  # what the tests of orders read
    order_id = spark.table(RAW_ORDERS).agg({"o_orderkey": "max"}).first()[0] + 1
    inject(spark, RAW_ORDERS, {"o_orderkey": order_id, "o_custkey": UNKNOWN_CUSTOMER})
    try:
        # day 1: an order of a customer the CRM has not delivered yet
        build = gate.run(run_dbt, narrow="orders+")  # make run's gate, narrowed to orders
        assert not build.success and not build.published
        assert outcome(build, "orders") == "success"
        failed = [r for r in build.result if str(r.status) == "fail"]
        assert [r.node.name for r in failed] == [
            "relationships_orders_customer_id__customer_id__ref_customers_"
        ]
        assert failed[0].failures == 1 and unpublished in failed[0].node.compiled_code
        assert not [r for r in build.result if r.node.schema == "cmr_curated"]
        report = "\n".join(gate.report(build))
        assert "FAILED, nothing published" in report
        assert f'make sql Q="select * from {failed[0].node.relation_name}"' in report
        # nothing published: every main as it was; the branch holds the order; failures stored
        assert published(spark) == before
        assert lakehouse.rows(
            f"select customer_id from {REFINED_ORDERS} version as of '{BRANCH}' "
            f"where order_id = {order_id}"
        ) == [(UNKNOWN_CUSTOMER,)]
        assert lakehouse.rows(f"select * from {failed[0].node.relation_name}") == [
            (UNKNOWN_CUSTOMER,)
        ]
        assert lakehouse.rows(
            f"select count(*) from {REFINED_ORDERS} where order_id = {order_id}"
        ) == [(0,)]

        # compaction moves main meanwhile (as Glue's optimizers do): the audit can no longer be
        # fast-forwarded, so day 2 starts it again from main, reading the orders again
        spark.sql(
            f"call spark_catalog.system.rewrite_data_files(table => '{REFINED_ORDERS}', "
            "options => map('rewrite-all', 'true'))"
        )
        assert current_snapshot(spark, REFINED_ORDERS) != before[REFINED_ORDERS][0]

        # day 2: the customer arrives; the whole gate passes and publishes both days
        inject(spark, RAW_CUSTOMERS, {"c_custkey": UNKNOWN_CUSTOMER})
        build = gate.run(run_dbt)
        assert build.success and build.published, gate.report(build)
        # day 1's order was still unpublished, so day 2's tests read it again
        (relationship,) = [r.node for r in build.result if r.node.name == failed[0].node.name]
        assert unpublished in relationship.compiled_code
        after = published(spark)
        assert lakehouse.rows(
            f"select customer_id from {REFINED_ORDERS} where order_id = {order_id}"
        ) == [(UNKNOWN_CUSTOMER,)]
        assert after[REFINED_ORDERS][1][0] == before[REFINED_ORDERS][1][0] + 1
        assert after["cmr_refined.customers"][1][0] == before["cmr_refined.customers"][1][0] + 1
        assert lakehouse.rows(
            "select count(*) from cmr_curated.customer_lifetime_value "
            f"where customer_id = {UNKNOWN_CUSTOMER}"
        ) == [(1,)]
        assert [t for t in after if branch_head(spark, t) is not None] == []
    finally:
        restore(spark, before)
    assert published(spark) == before


def break_unit_test(project: Path) -> None:
    models = project / "models" / "sales" / "curated" / "_curated__models.yml"
    text = models.read_text()
    assert "line_status: O, line_count: 2," in text
    models.write_text(
        text.replace("line_status: O, line_count: 2,", "line_status: O, line_count: 3,")
    )


def break_contract(project: Path) -> None:
    model = project / "models" / "sales" / "curated" / "pricing_summary.sql"
    text = model.read_text()
    model.write_text(text.replace("select * from final", "select *, 1 as undeclared from final"))


def break_reconciliation(project: Path) -> None:
    model = project / "models" / "customers" / "refined" / "nations.sql"
    text = model.read_text()
    model.write_text(
        text.replace("select * from final", "select * from final where nation_id <> 0")
    )


CURATED_SALES = "path:models/sales/curated"  # a stage of its own: no upstream node


@pytest.mark.parametrize(
    "edit, narrow, failed",
    [
        (break_unit_test, CURATED_SALES, "pricing_summary_prices_discounts_and_taxes_per_group"),
        (break_contract, CURATED_SALES, "pricing_summary"),
        (
            break_reconciliation,
            "nations+",
            "reconciles_with_raw_nations_source_geo_nation___n_nationkey",
        ),
    ],
    ids=["unit test", "curated contract", "reconciliation totals"],
)
def test_a_change_failing_a_unit_test_a_contract_or_a_reconciliation_publishes_nothing(
    lakehouse, tmp_path, monkeypatch, edit, narrow, failed
):
    """A change of the project (a copy of it, on the shared lakehouse) that breaks a unit test,
    a curated contract or a refined table's reconciliation with raw: the gate fails naming the
    node and publishes nothing; what it built waits on the branch."""
    project = copy_dbt_project(tmp_path / "project")
    edit(project)
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))  # the shared one stays
    spark = lakehouse.spark
    before = published(spark)
    try:
        build = gate.run(gate.dbt_runner(str(project)), narrow=narrow)
        assert not build.success and not build.published
        assert failed in [r.node.name for r in build.result if str(r.status) in gate.FAILED]
        assert published(spark) == before
        if edit is break_reconciliation:  # the table model rewritten on the branch, not on main
            nations = "cmr_refined.nations"
            assert lakehouse.rows(f"select count(*) from {nations} version as of '{BRANCH}'") == [
                (before[nations][1][0] - 1,)
            ]
    finally:
        restore(spark, before)
