"""Descriptions reach the Glue Data Catalog through dbt-glue: the gate, run by the unmodified
dbt-glue against glue-local on the shared lakehouse, leaves a table's comments alone while it
audits and publishes them with the data; GetTable then answers the model's description as the
table's Description and each column's as its Comment (Iceberg's Glue catalog writes the same
fields from the same table property and column docs)."""

import json
from types import SimpleNamespace

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


def test_the_gate_on_dbt_glue_publishes_descriptions_to_the_catalog(
    glue_local, glue, lakehouse, tmp_path
):
    manifest = json.loads((lakehouse.target / "manifest.json").read_text())
    node = manifest["nodes"][f"model.lakehouse.{NAME}"]
    spark = lakehouse.spark
    spark.sql(f"alter table {DATABASE}.{NAME} set tblproperties ('comment' = '{STALE}')")
    spark.sql(f"alter table {DATABASE}.{NAME} alter column {MONEY_COLUMN} comment '{STALE}'")
    before_publish = []

    def runner(*args):
        if args[0] == "run-operation":  # the publish: what did the audited build leave?
            before_publish.append(catalog_docs(glue))
        return SimpleNamespace(success=dbt_glue(glue_local.url, tmp_path, *args) == 0, result=[])

    build = gate.run(
        runner,
        project="customers",
        narrow=f"path:{MODEL_FILE}",  # that model alone
        extra=["--resource-type", "model"],  # its tests are the local build's to prove
        variables={"shared_schemas": True},
    )
    log = (tmp_path / "dbt.log").read_text()[-3000:]
    assert build.success and build.published, log
    ((description, columns),) = before_publish
    assert (description, columns[MONEY_COLUMN]) == (STALE, STALE)
    description, columns = catalog_docs(glue)
    assert description == node["description"]
    assert columns == {name: c["description"] for name, c in node["columns"].items()}
    assert columns[MONEY_COLUMN].startswith("Amount in the company's currency")
