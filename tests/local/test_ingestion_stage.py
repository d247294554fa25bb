"""`make run`'s ingestion stage: all eight tables, every batch, rows reconciled with the sources."""

import json

import pytest

from lakehouse.local import ingestion, tpch

pytestmark = pytest.mark.integration


def test_every_source_row_is_in_raw_or_quarantine(lakehouse):
    found = {r.table: r for r in ingestion.reconcile(lakehouse.spark, lakehouse.generated)}
    assert len(found) == 8
    for table, r in found.items():
        assert r.balanced, table
        assert r.source_rows > 0, table


def test_orders_and_line_items_arrive_in_daily_batches(lakehouse):
    plan = tpch.plan(lakehouse.generated)
    for table in ("sales__orders", "sales__lineitem"):
        batches = [
            r[0]
            for r in lakehouse.rows(f"select distinct _batch_id from cmr_raw.{table} order by 1")
        ]
        assert batches == list(plan.batches), table
    # a line item sits in its order's batch
    (misplaced,) = lakehouse.rows(
        "select count(*) from cmr_raw.sales__lineitem l join cmr_raw.sales__orders o "
        "on l.l_orderkey = o.o_orderkey where l._batch_id <> o._batch_id"
    )[0]
    assert misplaced == 0
    (daily,) = lakehouse.rows(
        f"select count(*) from cmr_raw.sales__orders where _batch_id in {tuple(plan.daily)} "
        f"and cast(o_orderdate as string) <> _batch_id"
    )[0]
    assert daily == 0


def test_each_job_run_is_logged_with_counts_and_lineage(lakehouse):
    plan = tpch.plan(lakehouse.generated)
    logs = [t.name for t in lakehouse.spark.catalog.listTables("cmr_raw")]
    logs = sorted(t for t in logs if t.endswith("___ingestion_runs"))
    assert logs == [f"{p}___ingestion_runs" for p in ("customers", "sales", "supply")]
    runs = lakehouse.spark.sql(
        " union all ".join(
            "select job_name, batch_id, table_name, rows_read, rows_written, rows_rejected, "
            f"lineage_event from cmr_raw.{log} where status = 'SUCCEEDED'"
            for log in logs
        )
    ).collect()
    crm_batches = {r.batch_id for r in runs if r.job_name == "customers-ingest-crm"}
    assert set(plan.batches) <= crm_batches  # the JDBC job runs every batch
    for r in runs:
        assert r.rows_read == r.rows_written + r.rows_rejected
        event = json.loads(r.lineage_event)
        assert event["eventType"] == "COMPLETE" and event["job"]["name"] == r.job_name
        assert r.table_name in [o["name"] for o in event["outputs"]]


def test_landing_files_are_archived_by_batch(lakehouse):
    archived = sorted(
        p.relative_to(lakehouse.home / "archive").as_posix()
        for p in (lakehouse.home / "archive").rglob("*.csv")
    )
    assert "sales/erp/" + tpch.plan(lakehouse.generated).daily[-1] + "/orders.csv" in archived
    assert not list((lakehouse.home / "landing").rglob("*.csv"))  # all consumed
