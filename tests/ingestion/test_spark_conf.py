from lakehouse_jobs.paths import metastore_port
from lakehouse_jobs.spark import local_conf


def test_local_conf_comes_from_the_profile_with_absolute_lakehouse_paths(monkeypatch, tmp_path):
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    conf = local_conf()
    assert conf["spark.sql.catalog.spark_catalog"] == "org.apache.iceberg.spark.SparkSessionCatalog"
    assert conf["spark.sql.warehouse.dir"] == f"{tmp_path}/warehouse"
    # the lakehouse's own metastore server, on a port of its own (lakehouse/local/metastore.py)
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == (
        f"jdbc:derby://127.0.0.1:{metastore_port(tmp_path)}/metastore_db;create=true"
    )
    assert conf["spark.jars"].split(",")[:2] == [
        f"{tmp_path}/jars/iceberg-spark-runtime-3.5_2.12-1.10.2.jar",
        f"{tmp_path}/jars/iceberg-shaded-jackson-2.15.2.jar",
    ]
    assert conf["spark.sql.sources.partitionOverwriteMode"] == "dynamic"


def test_local_conf_takes_overrides_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_DRIVER_MEMORY", "9g")
    assert local_conf()["spark.driver.memory"] == "9g"


def test_metastore_ports_differ_between_lakehouses_and_can_be_chosen(monkeypatch, tmp_path):
    monkeypatch.delenv("LAKEHOUSE_METASTORE_PORT", raising=False)
    ports = {metastore_port(tmp_path / name) for name in ("a", "b", "c")}
    assert len(ports) == 3 and all(21000 <= p < 30000 for p in ports)
    monkeypatch.setenv("LAKEHOUSE_METASTORE_PORT", "23456")
    assert metastore_port(tmp_path / "a") == 23456


def test_the_default_pool_shares_the_cores_between_dbt_threads_jobs():
    import xml.etree.ElementTree as ET

    conf = local_conf()
    assert conf["spark.scheduler.mode"] == "FAIR"
    pools = ET.parse(conf["spark.scheduler.allocation.file"]).getroot()
    (default,) = [p for p in pools.iter("pool") if p.get("name") == "default"]
    assert default.findtext("schedulingMode") == "FAIR"
