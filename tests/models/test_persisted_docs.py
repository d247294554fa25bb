"""Descriptions as catalog comments (dbt_project.yml's persist_docs,
macros/adapters/persisted_docs.sql) on the shared lakehouse, built by dbt-spark: every table
the gate published carries its node's descriptions (`describe table extended`), and a gated
build leaves main's comments alone until it publishes."""

import json

import pytest

from lakehouse import gate
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

TABLE = "cmr_refined.customers"
MODEL_FILE = "models/customers/refined/customers.sql"
MONEY_COLUMN = "account_balance"  # its description has an apostrophe: "the company's currency"
STALE = "stale"


def documented(manifest: dict) -> dict[str, tuple[str, dict[str, str]]]:
    """schema.table => (description, {column: description}) of every Iceberg table persisted."""
    found = {}
    for node in manifest["nodes"].values():
        config = node["config"]
        if (
            node["resource_type"] in ("model", "seed", "snapshot")
            and config.get("file_format") == "iceberg"
            and config.get("persist_docs") == {"relation": True, "columns": True}
        ):
            columns = {name: c["description"] for name, c in node["columns"].items()}
            found[f"{node['schema']}.{node['alias']}"] = (node["description"], columns)
    return found


def comments(spark, table: str) -> tuple[str, dict[str, str]]:
    """The table's comment and its columns' comments, as `describe table extended` shows them."""
    rows = [tuple(r) for r in spark.sql(f"describe table extended {table}").collect()]
    blank = next(i for i, r in enumerate(rows) if not r[0])
    columns = {name: comment or "" for name, _, comment in rows[:blank]}
    table_comment = next((r[1] for r in rows[blank:] if r[0] == "Comment"), "")
    return table_comment, columns


def make_stale(spark, table: str, column: str) -> None:
    spark.sql(f"alter table {table} set tblproperties ('comment' = '{STALE}')")
    spark.sql(f"alter table {table} alter column {column} comment '{STALE}'")


@pytest.fixture(scope="module")
def manifest(lakehouse) -> dict:
    return json.loads((lakehouse.target / "manifest.json").read_text())


def test_every_published_table_carries_its_descriptions(lakehouse, manifest):
    expected = documented(manifest)
    assert {TABLE, "cmr_curated.order_volume_by_month", "cmr_refined.orders"} <= set(expected)
    for table, (description, columns) in expected.items():
        table_comment, column_comments = comments(lakehouse.spark, table)
        assert table_comment == description, table
        assert {c: column_comments[c] for c in columns} == columns, table
    money = comments(lakehouse.spark, TABLE)[1][MONEY_COLUMN]
    assert money.startswith("Amount in the company's currency, exact to the cent")


def test_a_gated_build_leaves_the_comments_to_its_publish(lakehouse, manifest):
    spark = lakehouse.spark
    description, columns = documented(manifest)[TABLE]
    make_stale(spark, TABLE, MONEY_COLUMN)
    before_publish = []

    def runner(*args):
        if args[0] == "run-operation":  # the publish: what did the audited build leave?
            before_publish.append(comments(spark, TABLE))
        return run_dbt(*args)

    build = gate.run(runner, project="customers", narrow=f"path:{MODEL_FILE}")
    assert build.success and build.published, gate.report(build)
    ((table_comment, column_comments),) = before_publish
    assert (table_comment, column_comments[MONEY_COLUMN]) == (STALE, STALE)
    table_comment, column_comments = comments(spark, TABLE)
    assert table_comment == description
    assert column_comments[MONEY_COLUMN] == columns[MONEY_COLUMN]
