"""Descriptions reach the Glue Data Catalog through dbt-glue: the gate's build and publish, run
by the unmodified dbt-glue against glue-local on the shared lakehouse, leave a table's comments
alone while the build audits and set them with the publish; GetTable then answers the model's
description as the table's Description and each column's as its Comment (Iceberg's Glue
catalog writes the same fields from the same table property and column docs)."""

import json

import pytest

from lakehouse import gate
from lakehouse.glue_local.client import dbt_glue

pytestmark = pytest.mark.integration

DATABASE, NAME = "cmr_refined", "customers"
MODEL_FILE = "models/customers/refined/customers.sql"
MONEY_COLUMN = "account_balance"  # its description has an apostrophe: "the company's currency"
STALE = "stale"


def catalog_docs(glue) -> tuple[str | None, dict[str, str]]:
    table = glue.get_table(DatabaseName=DATABASE, Name=NAME)["Table"]
    columns = {c["Name"]: c.get("Comment", "") for c in table["StorageDescriptor"]["Columns"]}
    return table.get("Description"), columns


def test_dbt_glue_publishes_descriptions_to_the_catalog_with_the_data(
    glue_local, glue, lakehouse, tmp_path
):
    manifest = json.loads((lakehouse.target / "manifest.json").read_text())
    node = manifest["nodes"][f"model.lakehouse.{NAME}"]
    spark = lakehouse.spark
    spark.sql(f"alter table {DATABASE}.{NAME} set tblproperties ('comment' = '{STALE}')")
    spark.sql(f"alter table {DATABASE}.{NAME} alter column {MONEY_COLUMN} comment '{STALE}'")
    branch = gate.audit_branch("customers")
    variables = json.dumps({"shared_schemas": True, "audit_branch": branch})

    def dbt(*args: str) -> None:  # as the gate runs it: the build, then the publish
        code = dbt_glue(glue_local.url, tmp_path, *args, "--vars", variables)
        assert code == 0, (tmp_path / "dbt.log").read_text()[-3000:]

    dbt("build", "--select", f"path:{MODEL_FILE}", "--resource-type", "model")
    description, columns = catalog_docs(glue)
    assert (description, columns[MONEY_COLUMN]) == (STALE, STALE), "the audit changed main's docs"
    dbt(
        "run-operation",
        "audit_publish",
        "--args",
        json.dumps({"branch": branch, "project": "customers"}),
    )
    description, columns = catalog_docs(glue)
    assert description == node["description"]
    assert columns == {name: c["description"] for name, c in node["columns"].items()}
    assert columns[MONEY_COLUMN].startswith("Amount in the company's currency")
