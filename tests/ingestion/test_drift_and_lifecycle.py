"""Schema drift messages, the run lifecycle's log lines and lineage event (no Spark needed)."""

import json

import pytest
from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import contract_for
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.errors import SchemaDriftError
from lakehouse_jobs.landing import check_columns
from lakehouse_jobs.lifecycle import RUN_LOG_COLUMNS, JobRun, TableRun
from lakehouse_jobs.lineage import problems

from lakehouse.local.crm import free_port

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


def job_config(tmp_path, **settings) -> Config:
    """A local job's configuration whose lineage events go to a file of the test's own."""
    events = tmp_path / "events.jsonl"
    return Config({"LINEAGE_EVENTS_FILE": str(events), **settings}, {}, load_domain())


def sent(config: Config) -> list[dict]:
    return [json.loads(line) for line in open(config.get("LINEAGE_EVENTS_FILE"))]


def test_a_run_logs_json_lines_with_its_run_id_and_a_lineage_event(capsys, tmp_path):
    config = job_config(tmp_path)
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
    assert (event["job"]["namespace"], event["job"]["name"]) == ("cmr", "sales-ingest-erp")
    assert [(i["namespace"], i["name"]) for i in event["inputs"]] == [
        ("file", "file:/l/orders.csv")
    ]
    assert [
        (o["namespace"], o["name"], o["outputFacets"]["outputStatistics"]["rowCount"])
        for o in event["outputs"]
    ] == [
        ("commerce://cmr_raw", "cmr_raw.sales__orders", 8),
        ("commerce://cmr_raw", "cmr_raw.sales__orders__quarantine", 2),
    ]
    assert event["run"]["facets"]["tags"]["tags"] == [
        {"key": "batch_id", "value": "2024-01-02", "source": "lakehouse_jobs"}
    ]
    assert problems(event) == []
    start, complete = sent(config)
    assert complete == event  # the events file holds what the log shows
    assert (start["eventType"], start["run"]["runId"]) == ("START", run.run_id)
    assert start["inputs"] == start["outputs"] == [] and problems(start) == []
    (row,) = run.log_rows(event)
    record = dict(zip([n for n, _ in RUN_LOG_COLUMNS], row, strict=True))
    assert (record["rows_read"], record["rows_written"], record["rows_rejected"]) == (10, 8, 2)
    assert record["status"] == "SUCCEEDED" and record["duration_seconds"] >= 0
    assert json.loads(record["lineage_event"]) == event


def test_a_failed_run_is_logged_as_such_and_the_error_propagates(capsys, tmp_path):
    config = job_config(tmp_path)
    with pytest.raises(SchemaDriftError), JobRun("supply-ingest-scm", "b1", config) as run:
        raise SchemaDriftError("new ['x']")
    last = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert last["msg"] == "job failed" and last["status"] == "FAILED"
    assert last["lineage"]["eventType"] == "FAIL"
    assert "new ['x']" in last["lineage"]["run"]["facets"]["errorMessage"]["message"]
    assert run.status == "FAILED"
    assert [e["eventType"] for e in sent(config)] == ["START", "FAIL"]


def test_an_unreachable_lineage_endpoint_is_logged_and_the_run_succeeds(capsys, tmp_path):
    closed = free_port()  # nothing listens there
    settings = tmp_path / "openlineage.yml"  # the client's own format; no retries: a quick test
    settings.write_text(
        f"transport: {{type: http, url: 'http://127.0.0.1:{closed}', retry: {{total: 0}}}}\n"
    )
    config = job_config(tmp_path, OPENLINEAGE_CONFIG=str(settings))
    with JobRun("sales-ingest-erp", "b1", config) as run:
        pass
    assert run.status == "SUCCEEDED"
    errors = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    not_sent = [e["msg"] for e in errors if e["level"] == "error"]
    assert len(not_sent) == 2, not_sent  # START and COMPLETE, one line each
    assert all("not sent through http" in m and "sales-ingest-erp" in m for m in not_sent)
    assert [e["eventType"] for e in sent(config)] == [
        "START",
        "COMPLETE",
    ]  # the file still has them
