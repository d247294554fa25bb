"""make parity's check of the gate's metrics (lakehouse.parity.gate_metrics), against moto: the
records of passing and failing gates, put as the pipeline's gate puts them (lakehouse.run_log)."""

from datetime import UTC, datetime, timedelta

import boto3
from moto import mock_aws

from lakehouse import gate, run_log
from lakehouse.parity import gate_metrics
from lakehouse.parity.pipelines import Build

NAMESPACE = "cmr/lakehouse"


def build(project: str, **environment: str) -> Build:
    return Build(project, "python -m lakehouse.gate", environment, f"cmr-dev-{project}-dbt-runner")


def put(project: str, passed: bool) -> None:
    now = datetime.now(UTC)
    outcome = gate.GateResult(passed, [], None, f"audit_{project}", passed, [], now, now)
    run_log.keep(run_log.record(outcome, project, "all"), "dev", {"METRIC_NAMESPACE": NAMESPACE})


@mock_aws
def test_every_projects_gate_put_its_metrics_and_passed(monkeypatch, capsys):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    since = datetime.now(UTC) - timedelta(minutes=1)
    cloudwatch = boto3.client("cloudwatch")
    builds = {p: build(p, METRIC_NAMESPACE=NAMESPACE) for p in ("customers", "sales", "supply")}
    for project in ("customers", "sales"):
        put(project, passed=True)
    put("supply", passed=False)
    assert gate_metrics.check(cloudwatch, builds, since) == [
        "metrics: the gate of supply put GateFailed 1"
    ]
    builds["returns"] = build("returns", METRIC_NAMESPACE=NAMESPACE)
    builds["orphan"] = build("orphan")
    assert gate_metrics.check(cloudwatch, {k: builds[k] for k in ("orphan", "returns")}, since) == [
        "metrics: the buildspec of orphan sets no METRIC_NAMESPACE",
        f"metrics: the gate of returns put no GateFailed in {NAMESPACE}",
        f"metrics: the gate of returns put no TestsFailed in {NAMESPACE}",
    ]
