"""A job run's CloudWatch metrics (lakehouse_jobs.lifecycle, .metrics): their payload, put to
moto on AWS (ENV other than local), never put locally, and never the run's outcome when they
cannot be put (no Spark needed)."""

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from lakehouse_jobs.config import Config
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.errors import SchemaDriftError
from lakehouse_jobs.lifecycle import JobRun, TableRun
from lakehouse_jobs.metrics import MAX_PER_CALL, datum, put
from moto import mock_aws

GLUE_JOB = "cmr-dev-sales-ingest-erp-files"
ORDERS = TableRun("cmr_raw.sales__orders", "s3://b/orders.csv", "s3", 100, 97, 3)
LINES = TableRun("cmr_raw.sales__lineitem", "s3://b/lineitem.csv", "s3", 400, 399, 1)


def config(**values: str) -> Config:
    return Config({"PROJECT": "sales", **values}, {}, load_domain())


def by_dimensions(data: list[dict]) -> dict[tuple, dict[str, float]]:
    found: dict[tuple, dict[str, float]] = {}
    for d in data:
        where = tuple(f"{x['Name']}={x['Value']}" for x in d["Dimensions"])
        found.setdefault(where, {})[d["MetricName"]] = d["Value"]
    return found


def loaded(run_config: Config) -> JobRun:
    with JobRun("sales-ingest-erp", "2024-01-02", run_config) as run:
        run.record(ORDERS)
        run.record(LINES)
    return run


def test_a_runs_metrics_per_job_and_per_table():
    run = loaded(config(JOB_NAME=GLUE_JOB))
    data = run.metric_data()
    job = ("Project=sales", f"Job={GLUE_JOB}")
    assert by_dimensions(data) == {
        job: {
            "RowsRead": 500.0, "RowsWritten": 496.0, "RowsRejected": 4.0, "RejectRatio": 0.008,
            "DurationSeconds": run.duration, "Failed": 0.0,
        },
        (*job, "Table=cmr_raw.sales__orders"): {
            "RowsRead": 100.0, "RowsWritten": 97.0, "RowsRejected": 3.0, "RejectRatio": 0.03,
        },
        (*job, "Table=cmr_raw.sales__lineitem"): {
            "RowsRead": 400.0, "RowsWritten": 399.0, "RowsRejected": 1.0, "RejectRatio": 0.0025,
        },
    }  # fmt: skip
    units = {d["MetricName"]: d["Unit"] for d in data}
    assert units == {
        "RowsRead": "Count", "RowsWritten": "Count", "RowsRejected": "Count",
        "RejectRatio": "None", "DurationSeconds": "Seconds", "Failed": "Count",
    }  # fmt: skip
    assert {d["Timestamp"] for d in data} == {run.ended_at}


def test_a_failed_run_counts_as_failed_and_outside_glue_the_job_is_named_as_in_the_run_log():
    with pytest.raises(SchemaDriftError), JobRun("sales-ingest-erp", "b1", config()) as run:
        raise SchemaDriftError("new ['x']")
    job = ("Project=sales", "Job=sales-ingest-erp")
    assert by_dimensions(run.metric_data())[job] == {
        "RowsRead": 0.0, "RowsWritten": 0.0, "RowsRejected": 0.0, "RejectRatio": 0.0,
        "DurationSeconds": run.duration, "Failed": 1.0,
    }  # fmt: skip


def test_put_sends_at_most_a_thousand_data_a_call():
    class Client:
        def __init__(self) -> None:
            self.calls: list[int] = []

        def put_metric_data(self, Namespace, MetricData):
            self.calls.append(len(MetricData))

    client = Client()
    one = datum("RowsRead", 1, "Count", {"Project": "sales"}, datetime(2024, 1, 2, tzinfo=UTC))
    put(client, "cmr/lakehouse", [one] * (2 * MAX_PER_CALL + 1))
    assert client.calls == [MAX_PER_CALL, MAX_PER_CALL, 1]


@mock_aws
def test_on_aws_the_figures_are_put_in_the_domains_namespace(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    run = loaded(config(ENV="dev", ACCOUNT_ID="123456789012", JOB_NAME=GLUE_JOB, ALLOW_AWS="true"))
    assert load_domain().metric_namespace == "cmr/lakehouse"
    cloudwatch = boto3.client("cloudwatch", region_name=load_domain().region)
    listed = cloudwatch.list_metrics(Namespace="cmr/lakehouse")["Metrics"]
    found = {(m["MetricName"], *(d["Value"] for d in m["Dimensions"])) for m in listed}
    assert ("RejectRatio", "sales", GLUE_JOB) in found and ("Failed", "sales", GLUE_JOB) in found
    assert len(found) == 6 + 2 * 4  # per job, and per table
    orders = [{"Name": "Project", "Value": "sales"}, {"Name": "Job", "Value": GLUE_JOB},
              {"Name": "Table", "Value": "cmr_raw.sales__orders"}]  # fmt: skip
    ratio = cloudwatch.get_metric_statistics(
        Namespace="cmr/lakehouse", MetricName="RejectRatio", Dimensions=orders,
        StartTime=run.ended_at - timedelta(minutes=5), EndTime=run.ended_at + timedelta(minutes=5),
        Period=600, Statistics=["Maximum"],
    )  # fmt: skip
    assert [p["Maximum"] for p in ratio["Datapoints"]] == [0.03]


@mock_aws
def test_a_local_run_puts_nothing():
    loaded(config(JOB_NAME=GLUE_JOB))  # ENV local: the run-log table holds the figures
    cloudwatch = boto3.client("cloudwatch", region_name=load_domain().region)
    assert cloudwatch.list_metrics(Namespace="cmr/lakehouse")["Metrics"] == []


def test_metrics_that_cannot_be_put_are_logged_and_the_run_goes_on(monkeypatch, capsys):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    run = loaded(config(ENV="dev", ACCOUNT_ID="123456789012"))  # AWS, but not allowed from here
    assert run.status == "SUCCEEDED"
    printed = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    lines = [line for line in printed if "level" in line]  # not lineage events on the console
    (refused,) = [line for line in lines if line["level"] == "error"]
    assert refused["msg"].startswith(
        "could not put the run's metrics to CloudWatch: refusing to call AWS cloudwatch from a "
        "local run"
    )
    assert [line["msg"] for line in lines if line["level"] == "info"][-1] == "job finished"
