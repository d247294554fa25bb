from lakehouse_jobs.spark import local_conf


def test_local_conf_comes_from_the_profile_with_absolute_lakehouse_paths(monkeypatch, tmp_path):
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    conf = local_conf()
    assert conf["spark.sql.catalog.spark_catalog"] == "org.apache.iceberg.spark.SparkSessionCatalog"
    assert conf["spark.sql.warehouse.dir"] == f"{tmp_path}/warehouse"
    assert (
        f"databaseName={tmp_path}/metastore_db"
        in conf["spark.hadoop.javax.jdo.option.ConnectionURL"]
    )
    assert conf["spark.jars"].split(",")[:2] == [
        f"{tmp_path}/jars/iceberg-spark-runtime-3.5_2.12-1.10.2.jar",
        f"{tmp_path}/jars/iceberg-shaded-jackson-2.15.2.jar",
    ]
    assert conf["spark.sql.sources.partitionOverwriteMode"] == "dynamic"


def test_local_conf_takes_overrides_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_DRIVER_MEMORY", "9g")
    assert local_conf()["spark.driver.memory"] == "9g"
