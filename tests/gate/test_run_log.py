"""The gate's run log (lakehouse.run_log): the record of a run, its CloudWatch metrics, and where
`python -m lakehouse.gate` keeps it: a JSON line always, metrics only in the pipeline (a target
other than local and METRIC_NAMESPACE set), put to moto here. No Spark, no dbt: the recording
runner of test_run.py."""

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

import boto3
from moto import mock_aws
from test_run import Recorder

from lakehouse import gate, run_log

NAMESPACE = "cmr/lakehouse"
HOUR = 3600.0


def with_tests(*statuses: str):
    """A runner whose builds return one test per status."""
    recorder = Recorder()

    def invoke(*args: str):
        if args[0] != "build":
            return recorder(*args)
        tests = [
            SimpleNamespace(node=SimpleNamespace(resource_type="test", unique_id=f"test.t{i}"),
                            status=status)
            for i, status in enumerate(statuses)
        ]  # fmt: skip
        return SimpleNamespace(success=not set(statuses) & {"fail", "error"}, result=tests)

    return invoke


def metrics_by_name(data: list[dict]) -> dict[tuple, tuple[float, str]]:
    return {
        (d["MetricName"], *(f"{x['Name']}={x['Value']}" for x in d["Dimensions"])): (
            d["Value"],
            d["Unit"],
        )
        for d in data
    }


def test_a_published_run_is_recorded_with_each_sources_freshness_and_lag():
    outcome = gate.run(Recorder(stale={"orders": "warn"}), project="sales")
    log = run_log.record(outcome, "sales", "all")
    assert (log["project"], log["stage"], log["branch"]) == ("sales", "all", "audit_sales")
    assert log["status"] == "published"
    assert log["nodes"] == {"success": 2}  # the upstream and curated stages' one model each
    assert (log["tests_failed"], log["stale_sources"]) == (0, 1)
    assert log["sources"] == [
        {"source": "erp.orders", "status": "warn", "lag_seconds": 60 * HOUR,
         "max_loaded_at": "1998-08-02T06:00:00"},
        {"source": "erp.lineitems", "status": "pass", "lag_seconds": HOUR,
         "max_loaded_at": "1998-08-02T06:00:00"},
        {"source": "erp.customer", "status": "pass", "lag_seconds": HOUR,
         "max_loaded_at": "1998-08-02T06:00:00"},
    ]  # fmt: skip
    assert 0 <= log["duration_seconds"] < 5
    assert log["started_at"] <= log["ended_at"]
    assert json.loads(json.dumps(log)) == log


def test_a_stage_of_the_schedule_that_passed_is_passed_not_published():
    outcome = gate.run(Recorder(), stages=("upstream",), project="sales")
    assert run_log.record(outcome, "sales", "upstream")["status"] == "passed"


def test_failed_tests_are_counted_and_a_curated_stage_says_nothing_of_freshness():
    outcome = gate.run(with_tests("pass", "fail", "error", "pass"), stages=("curated",))
    log = run_log.record(outcome, "sales", "curated")
    assert log["status"] == "failed"
    assert log["nodes"] == {"pass": 2, "fail": 1, "error": 1}
    assert log["tests_failed"] == 2
    assert log["failed_nodes"] == ["test.t1", "test.t2"]  # what a failed gate's alarm asks
    assert log["sources"] == [] and log["stale_sources"] == 0
    data = metrics_by_name(run_log.metric_data(log))
    assert data[("GateFailed", "Project=sales")] == (1.0, "Count")
    assert data[("TestsFailed", "Project=sales")] == (2.0, "Count")
    assert not [k for k in data if k[0] in ("StaleSources", "FreshnessLagSeconds")]


def test_the_metrics_of_a_gate_stopped_by_a_stale_source():
    outcome = gate.run(Recorder(stale={"lineitems": "error", "orders": "warn"}), project="sales")
    log = run_log.record(outcome, "sales", "all")
    assert log["status"] == "failed" and log["stale_sources"] == 2
    data = metrics_by_name(run_log.metric_data(log))
    duration = data.pop(("GateDurationSeconds", "Project=sales"))
    assert duration == (log["duration_seconds"], "Seconds")
    assert data == {
        ("GateFailed", "Project=sales"): (1.0, "Count"),
        ("TestsFailed", "Project=sales"): (0.0, "Count"),
        ("StaleSources", "Project=sales"): (2.0, "Count"),
        ("FreshnessLagSeconds", "Project=sales", "Source=erp.orders"): (60 * HOUR, "Seconds"),
        ("FreshnessLagSeconds", "Project=sales", "Source=erp.lineitems"): (200 * HOUR, "Seconds"),
        ("FreshnessLagSeconds", "Project=sales", "Source=erp.customer"): (HOUR, "Seconds"),
    }
    assert {d["Timestamp"].isoformat() for d in run_log.metric_data(log)} == {log["ended_at"]}


def test_a_source_that_could_not_be_checked_has_no_lag():
    outcome = gate.run(Recorder(stale={"orders": "runtime error"}), project="sales")
    del outcome.freshness[0].age  # dbt's result of a failed check has no age
    log = run_log.record(outcome, "sales", "all")
    assert log["sources"][0]["lag_seconds"] is None and log["stale_sources"] == 0
    lags = [d for d in run_log.metric_data(log) if d["MetricName"] == "FreshnessLagSeconds"]
    assert len(lags) == 2


def run_gate(argv: list[str], runner, capsys) -> tuple[int, dict, str]:
    code = gate.main(argv, runner=runner)
    out, err = capsys.readouterr()
    (line,) = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return code, line, err


@mock_aws
def test_locally_the_record_is_a_json_line_and_nothing_is_put(monkeypatch, capsys):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("METRIC_NAMESPACE", NAMESPACE)  # even so: the target is local
    for argv in (["--project", "sales"], ["--target", "local", "--project", "sales"]):
        code, line, _ = run_gate(argv, Recorder(), capsys)
        assert code == 0
        assert line["msg"] == "gate run" and line["status"] == "published"
        assert [s["source"] for s in line["sources"]] == ["erp.orders", "erp.lineitems",
                                                          "erp.customer"]  # fmt: skip
    monkeypatch.delenv("METRIC_NAMESPACE")  # a developer's build on AWS
    assert run_gate(["--target", "dev", "--project", "sales"], Recorder(), capsys)[0] == 0
    assert boto3.client("cloudwatch").list_metrics(Namespace=NAMESPACE)["Metrics"] == []


@mock_aws
def test_in_the_pipeline_the_metrics_are_put_in_the_domains_namespace(monkeypatch, capsys):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("METRIC_NAMESPACE", NAMESPACE)
    stale = Recorder(stale={"lineitems": "error"})
    code, line, err = run_gate(["--target", "dev", "--project", "sales"], stale, capsys)
    assert code == 1 and line["status"] == "failed" and "could not put" not in err
    cloudwatch = boto3.client("cloudwatch")
    listed = cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]
    found = {(m["MetricName"], *sorted(d["Value"] for d in m["Dimensions"])) for m in listed}
    assert found == {
        ("GateFailed", "sales"),
        ("TestsFailed", "sales"),
        ("GateDurationSeconds", "sales"),
        ("StaleSources", "sales"),
        ("FreshnessLagSeconds", "erp.orders", "sales"),
        ("FreshnessLagSeconds", "erp.lineitems", "sales"),
        ("FreshnessLagSeconds", "erp.customer", "sales"),
    }
    ended = datetime.fromisoformat(line["ended_at"])
    statistics = cloudwatch.get_metric_statistics(
        Namespace=NAMESPACE, MetricName="FreshnessLagSeconds",
        Dimensions=[{"Name": "Project", "Value": "sales"},
                    {"Name": "Source", "Value": "erp.lineitems"}],
        StartTime=ended - timedelta(minutes=5), EndTime=ended + timedelta(minutes=5), Period=600,
        Statistics=["Maximum"],
    )  # fmt: skip
    assert [p["Maximum"] for p in statistics["Datapoints"]] == [200 * HOUR]


def test_a_failure_to_put_the_metrics_is_one_line_and_not_the_gates_outcome(
    monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("METRIC_NAMESPACE", NAMESPACE)
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))  # no region: boto3 refuses
    code, line, err = run_gate(["--target", "dev", "--project", "sales"], Recorder(), capsys)
    assert code == 0 and line["status"] == "published"
    # (the lineage of a runner without dbt's artifacts logs its own lines before)
    assert err.splitlines()[-1].startswith(
        f"gate: could not put the run's metrics in {NAMESPACE}: "
    )
    assert "region" in err.splitlines()[-1] and "Traceback" not in err
