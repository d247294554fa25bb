"""JDBC ingestion from a real PostgreSQL (the CRM): incremental by watermark, quarantine,
idempotent re-runs, schema drift, a refused login."""

import json
import uuid

import pytest
from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import contract_for
from lakehouse_jobs.errors import SchemaDriftError, SourceAccessError
from lakehouse_jobs.jdbc_job import ingest_table
from lakehouse_jobs.lifecycle import JobRun

from lakehouse.local import crm

pytestmark = pytest.mark.integration

CUSTOMER = contract_for("crm", "customer")


@pytest.fixture(scope="module")
def crm_database(lakehouse):
    with crm.crm_server() as server:
        loaded = crm.load_customers(
            server, lakehouse.generated / "customer.csv", "2024-01-01 00:00:00"
        )
        server.psql(
            "insert into public.customer values (900001, 'Customer#900001', 'x', 1, '1', 1.00, "
            "'SPACE', 'not a segment', timestamptz '2024-01-01 00:00:00 +00')"
        )
        yield server, loaded + 1


@pytest.fixture
def config(crm_database, tmp_path):
    server, _ = crm_database
    return Config(
        {
            "PROJECT": "customers",
            "RAW_DATABASE": f"itest_{uuid.uuid4().hex[:8]}",
            "RAW_ROOT": str(tmp_path / "raw"),
            "CRM_JDBC_URL": server.jdbc_url,
            "CRM_USER": crm.READER,
            "CRM_PASSWORD": server.reader_password,
        }
    )


def ingest(spark, config, batch):
    with JobRun("customers-ingest-crm", batch, config, spark) as run:
        ingest_table(spark, config, run, CUSTOMER)
    return run.tables[0]


def test_incremental_batches_by_watermark_with_quarantine_and_idempotent_reruns(
    lakehouse, crm_database, config
):
    spark = lakehouse.spark
    server, total = crm_database
    db = config.get("RAW_DATABASE")
    first = ingest(spark, config, "2024-01-01")
    assert (first.rows_read, first.rows_written, first.rows_rejected) == (total, total - 1, 1)
    assert first.watermark == "2024-01-01 00:00:00"
    (reason, record) = spark.sql(
        f"select _reject_reason, _raw_record from {db}.customers__customer__quarantine"
    ).first()
    assert reason.startswith("c_mktsegment: 'SPACE' not in accepted values [AUTOMOBILE")
    assert '"c_custkey":900001' in record

    server.psql(
        "update public.customer set c_acctbal = c_acctbal + 1, "
        "c_updated_at = timestamptz '2024-01-02 08:00:00 +00' where c_custkey in (1, 2, 3)"
    )
    try:
        second = ingest(spark, config, "2024-01-02")
        again = ingest(spark, config, "2024-01-02")  # a re-run reads the same changes
        rerun_first = ingest(spark, config, "2024-01-01")
    finally:
        server.psql(
            "update public.customer set c_acctbal = c_acctbal - 1, "
            "c_updated_at = timestamptz '2024-01-01 00:00:00 +00' where c_custkey in (1, 2, 3)"
        )
    assert (second.rows_read, again.rows_read) == (3, 3)
    assert second.watermark == "2024-01-02 08:00:00"
    assert rerun_first.rows_read == total  # batch 1 re-read from the start, replacing itself
    rows = spark.sql(
        f"select _batch_id, count(*), min(_source_row), max(_source_row) "
        f"from {db}.customers__customer group by 1 order by 1"
    ).collect()
    assert [tuple(r) for r in rows] == [
        ("2024-01-01", total - 1, 1, total),
        ("2024-01-02", 3, 1, 3),
    ]
    source = spark.sql(f"select distinct _source_file from {db}.customers__customer").first()[0]
    assert source == f"postgresql://127.0.0.1:{server.port}/crm/public.customer"


def test_a_new_source_column_stops_the_job_and_is_named(lakehouse, crm_database, config):
    server, _ = crm_database
    server.psql("alter table public.customer add column c_loyalty_tier text")
    try:
        with pytest.raises(SchemaDriftError, match=r"new \['c_loyalty_tier'\]"):
            ingest(lakehouse.spark, config, "2024-01-01")
    finally:
        server.psql("alter table public.customer drop column c_loyalty_tier")
    table = f"{config.get('RAW_DATABASE')}.customers__customer"
    assert lakehouse.spark.sql(f"show partitions {table}").count() == 0


def test_a_refused_login_fails_the_run_with_one_line_naming_the_credentials(
    lakehouse, crm_database, config, tmp_path
):
    server, _ = crm_database
    stale = tmp_path / "secret.json"  # the password the CRM had before a rotation
    stale.write_text(json.dumps({**server.secret(), "password": "not-the-password"}))
    with pytest.raises(SourceAccessError) as refused:
        ingest(lakehouse.spark, config.with_overrides(CRM_SECRET_FILE=str(stale)), "2024-01-03")
    message = str(refused.value)
    assert message.startswith(
        f"cannot read postgresql://127.0.0.1:{server.port}/crm/public.customer as "
        f'crm_ingestion: FATAL: password authentication failed for user "crm_ingestion"'
    ), message
    assert f"come from the file {stale}" in message and "\n" not in message
    (status, error) = lakehouse.spark.sql(
        f"select status, error from {config.get('RUN_LOG_TABLE')} where batch_id = '2024-01-03'"
    ).first()
    assert (status, error) == ("FAILED", f"SourceAccessError: {message}")


def test_the_server_is_gone_after_the_context(tmp_path):
    with crm.crm_server() as server:
        port = server.port
        assert server.psql("select 1").strip() == "1"
    import socket

    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
