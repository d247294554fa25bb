"""make parity's check of the gate's metrics: each project's gate, run as its pipeline's
CodeBuild runs it (METRIC_NAMESPACE from the planned buildspec, lakehouse.run_log), puts its
run's metrics. glue-local serves no CloudWatch: a moto server stands in for it (boto3's
AWS_ENDPOINT_URL_CLOUDWATCH), so the puts land there instead of failing on glue-local; moto
evaluates no IAM, so the runner role's grant is the Terraform tests' to check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CLOUDWATCH"
PASSED = {"GateFailed": 0.0, "TestsFailed": 0.0}  # what a schedule that passed puts


def check(cloudwatch, builds: dict, since: datetime) -> list[str]:
    """The problems (empty: every project's gate put GateFailed and TestsFailed in its
    namespace since `since`, all 0); `builds`: project => lakehouse.parity.pipelines.Build."""
    problems = []
    until = datetime.now(UTC) + timedelta(minutes=1)
    for project, build in sorted(builds.items()):
        namespace = build.environment.get("METRIC_NAMESPACE")
        if not namespace:
            problems.append(f"metrics: the buildspec of {project} sets no METRIC_NAMESPACE")
            continue
        for name, expected in PASSED.items():
            points = cloudwatch.get_metric_statistics(
                Namespace=namespace, MetricName=name, StartTime=since, EndTime=until,
                Dimensions=[{"Name": "Project", "Value": project}],
                Period=3600, Statistics=["Maximum"],
            )["Datapoints"]  # fmt: skip
            if not points:
                problems.append(f"metrics: the gate of {project} put no {name} in {namespace}")
            elif (worst := max(p["Maximum"] for p in points)) != expected:
                problems.append(f"metrics: the gate of {project} put {name} {worst:g}")
    return problems
