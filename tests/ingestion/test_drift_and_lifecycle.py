"""Schema drift messages, the run lifecycle's log lines and lineage event (no Spark needed)."""

import json

import pytest
from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import contract_for
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.errors import SchemaDriftError
from lakehouse_jobs.landing import check_columns
from lakehouse_jobs.lifecycle import RUN_LOG_COLUMNS, JobRun, TableRun

ORDERS = contract_for("erp", "orders")
HEADER = [c.name for c in ORDERS.landing_columns]


def drift(header: list[str], fmt: str = "csv") -> str:
    with pytest.raises(SchemaDriftError) as error:
        check_columns(ORDERS, fmt, ",".join(header), "orders.csv")
    return str(error.value)


def test_the_contract_header_passes():
    check_columns(ORDERS, "csv", ",".join(HEADER), "orders.csv")


def test_a_new_column_is_named():
    assert "new ['o_channel']" in drift([*HEADER, "o_channel"])


def test_a_missing_column_is_named():
    message = drift([c for c in HEADER if c != "o_clerk"])
    assert "missing ['o_clerk']" in message and "new" not in message


def test_a_renamed_column_is_named_both_ways():
    renamed = [("o_clerk_name" if c == "o_clerk" else c) for c in HEADER]
    message = drift(renamed)
    assert "missing ['o_clerk']" in message and "new ['o_clerk_name']" in message
    assert "renamed? o_clerk -> o_clerk_name" in message
    assert "Nothing was written" in message


def test_reordered_columns_are_drift_too():
    assert "another order" in drift([HEADER[1], HEADER[0], *HEADER[2:]])


def test_tbl_files_are_checked_by_field_count():
    check_columns(ORDERS, "tbl", "|".join("x" * len(HEADER)) + "|", "orders.tbl")
    with pytest.raises(SchemaDriftError, match="has 10 fields, the contract 9"):
        check_columns(ORDERS, "tbl", "|".join(["x"] * 10) + "|", "orders.tbl")


def test_a_run_logs_json_lines_with_its_run_id_and_a_lineage_event(capsys):
    config = Config({}, {}, load_domain())
    with JobRun("sales-ingest-erp", "2024-01-02", config) as run:
        run.record(
            TableRun(
                "cmr_raw.sales__orders",
                "file:/l/orders.csv",
                "file",
                10,
                8,
                2,
                quarantine_table="cmr_raw.sales__orders__quarantine",
            )
        )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["msg"] for line in lines] == ["job started", "table loaded", "job finished"]
    assert {line["run_id"] for line in lines} == {run.run_id}
    event = lines[-1]["lineage"]
    assert event["eventType"] == "COMPLETE" and event["run"]["runId"] == run.run_id
    assert event["job"] == {"namespace": "cmr", "name": "sales-ingest-erp"}
    assert event["inputs"] == [{"namespace": "file", "name": "file:/l/orders.csv"}]
    assert [
        (o["name"], o["outputFacets"]["outputStatistics"]["rowCount"]) for o in event["outputs"]
    ] == [("cmr_raw.sales__orders", 8), ("cmr_raw.sales__orders__quarantine", 2)]
    (row,) = run.log_rows(event)
    record = dict(zip([n for n, _ in RUN_LOG_COLUMNS], row, strict=True))
    assert (record["rows_read"], record["rows_written"], record["rows_rejected"]) == (10, 8, 2)
    assert record["status"] == "SUCCEEDED" and record["duration_seconds"] >= 0


def test_a_failed_run_is_logged_as_such_and_the_error_propagates(capsys):
    config = Config({}, {}, load_domain())
    with pytest.raises(SchemaDriftError), JobRun("supply-ingest-scm", "b1", config) as run:
        raise SchemaDriftError("new ['x']")
    last = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert last["msg"] == "job failed" and last["status"] == "FAILED"
    assert last["lineage"]["eventType"] == "FAIL"
    assert "new ['x']" in last["lineage"]["run"]["facets"]["errorMessage"]["message"]
    assert run.status == "FAILED"
