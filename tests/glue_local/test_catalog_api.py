"""The Data Catalog operations, through boto3, answered from the shared lakehouse's catalog."""

import pytest

pytestmark = pytest.mark.integration


def test_databases_are_the_spark_catalogs(glue, lakehouse):
    names = [d["Name"] for d in glue.get_databases()["DatabaseList"]]
    spark_names = sorted(d.name for d in lakehouse.spark.catalog.listDatabases())
    assert names == spark_names
    assert {"cmr_raw", "cmr_refined", "cmr_curated"} <= set(names)


def test_an_iceberg_table_is_an_external_table_marked_iceberg_with_its_columns(glue, lakehouse):
    table = glue.get_table(DatabaseName="cmr_refined", Name="orders")["Table"]
    assert (table["Name"], table["DatabaseName"], table["TableType"]) == (
        "orders",
        "cmr_refined",
        "EXTERNAL_TABLE",
    )
    assert table["Parameters"]["table_type"] == "ICEBERG"
    columns = {c["Name"]: c["Type"] for c in table["StorageDescriptor"]["Columns"]}
    spark_columns = {
        f.name: f.dataType.simpleString()
        for f in lakehouse.spark.table("cmr_refined.orders").schema
    }
    assert columns == spark_columns
    assert columns["total_price"] == "decimal(15,2)"


def test_a_view_is_a_virtual_view_with_its_text(glue, lakehouse):
    views = [
        t
        for t in glue.get_tables(DatabaseName="cmr_staging")["TableList"]
        if t["TableType"] == "VIRTUAL_VIEW"
    ]
    assert {v["Name"] for v in views} >= {"stg_erp__orders"}
    assert "select" in views[0]["ViewOriginalText"].lower()


def test_a_raw_parquet_table_names_its_provider(glue):
    table = glue.get_table(DatabaseName="cmr_raw", Name="sales__orders")["Table"]
    assert table["Parameters"]["spark.sql.sources.provider"] == "parquet"
    assert "table_type" not in table["Parameters"]


def test_missing_table_and_database_are_entity_not_found(glue):
    with pytest.raises(
        glue.exceptions.EntityNotFoundException, match="Table nope in database cmr_raw"
    ):
        glue.get_table(DatabaseName="cmr_raw", Name="nope")
    with pytest.raises(glue.exceptions.EntityNotFoundException, match="Database nope"):
        glue.get_tables(DatabaseName="nope")


def test_get_tables_pages_with_next_token(glue):
    everything = [t["Name"] for t in glue.get_tables(DatabaseName="cmr_raw")["TableList"]]
    paged = [
        t["Name"]
        for page in glue.get_paginator("get_tables").paginate(DatabaseName="cmr_raw", MaxResults=1)
        for t in page["TableList"]
    ]
    assert len(everything) >= 2
    assert paged == everything


def test_create_update_and_delete_round_trip(glue, lakehouse, tmp_path):
    glue.create_database(
        DatabaseInput={"Name": "glue_local_probe", "LocationUri": str(tmp_path / "db")}
    )
    try:
        with pytest.raises(glue.exceptions.AlreadyExistsException):
            glue.create_database(DatabaseInput={"Name": "glue_local_probe"})
        lakehouse.spark.sql("create table glue_local_probe.t (id int) using parquet")
        glue.update_table(
            DatabaseName="glue_local_probe",
            TableInput={"Name": "t", "Parameters": {"data_owner": "sales"}},
        )
        table = glue.get_table(DatabaseName="glue_local_probe", Name="t")["Table"]
        assert table["Parameters"]["data_owner"] == "sales"
        with pytest.raises(glue.exceptions.InvalidInputException, match="reserved"):
            glue.update_table(
                DatabaseName="glue_local_probe",
                TableInput={"Name": "t", "Parameters": {"owner": "x"}},
            )
        with pytest.raises(glue.exceptions.InvalidInputException, match="not emulated"):
            glue.update_table(
                DatabaseName="glue_local_probe",
                TableInput={"Name": "t", "StorageDescriptor": {"Location": "s3://elsewhere/t"}},
            )
        glue.delete_table(DatabaseName="glue_local_probe", Name="t")
        assert not lakehouse.spark.catalog.tableExists("glue_local_probe.t")
    finally:
        glue.delete_database(Name="glue_local_probe")
    assert not lakehouse.spark.catalog.databaseExists("glue_local_probe")


def test_unknown_operations_are_refused_not_pretended(glue):
    with pytest.raises(glue.exceptions.ClientError) as refused:
        glue.get_crawler(Name="anything")
    error = refused.value.response["Error"]
    assert error["Code"] == "UnknownOperationException"
    assert "does not emulate glue:GetCrawler" in error["Message"]


def test_sts_and_lake_formation_answer_what_dbt_glue_reads(glue_local):
    from lakehouse.glue_local.client import glue_client

    identity = glue_client(glue_local.url, "sts").get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == (
        "123456789012",
        "arn:aws:iam::123456789012:user/glue-local",
    )
    lakeformation = glue_client(glue_local.url, "lakeformation")
    entry = {
        "Id": "1",
        "Principal": {"DataLakePrincipalIdentifier": "arn:aws:iam::1:role/r"},
        "Resource": {"Database": {"Name": "cmr_raw"}},
        "Permissions": ["DESCRIBE"],
    }
    assert lakeformation.batch_grant_permissions(Entries=[entry])["Failures"] == []
    assert entry in glue_local.emulator.grants  # recorded, not enforced
    with pytest.raises(lakeformation.exceptions.ClientError, match="UnknownOperationException"):
        lakeformation.list_permissions()
