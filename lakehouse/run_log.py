"""The gate's run log: one record per run of lakehouse.gate, and the CloudWatch metrics made
from it.

A record holds the run's status (`published`, `passed`: a stage of the domain's schedule, which
publishes nothing by itself, or `failed`), its duration, its nodes counted by status, the tests
that failed, the nodes that failed or errored (by unique id: what a failed gate's alarm asks)
and, when the run checked them, each source's freshness: its status (pass, warn, error, runtime
error) and lag (seconds since its newest `loaded_at_field`). Where it goes:

  make run, make gate     a row per source in {abbr}_raw.domain___gate_runs, beside the
                          ingestion jobs' run logs (lakehouse.local.gate_log);
  anywhere else           a JSON line in the gate's output (on AWS: the CodeBuild log); and when
                          the target is not local and METRIC_NAMESPACE is set (the project
                          pipeline's buildspec sets the domain's: docs/naming.md), the metrics
                          GateFailed, TestsFailed, GateDurationSeconds, StaleSources (dimension
                          Project) and FreshnessLagSeconds (Project, Source).

A failure to put the metrics is a line on stderr, never the gate's outcome. Standard library
only (boto3 on AWS, which dbt-glue brings): the dbt bundle ships it with the gate.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from lakehouse_jobs.metrics import datum, put

NAMESPACE_VARIABLE = "METRIC_NAMESPACE"
TESTS = ("test", "unit_test")
TEST_FAILED = ("fail", "error")
STALE = ("warn", "error")  # past the source's warn_after, or its error_after


def by_status(results: Iterable) -> dict[str, int]:
    """dbt results counted by status (pass, fail, warn, success, ...)."""
    return dict(Counter(str(result.status) for result in results))


def record(outcome, project: str | None, stage: str) -> dict:
    """The record of one gate run (`outcome`: lakehouse.gate.GateResult) of `project` (None:
    the whole domain) and `stage` (all, upstream, curated or publish)."""
    sources = [
        {
            "source": f"{r.node.source_name}.{r.node.name}",
            "status": str(r.status),
            "lag_seconds": getattr(r, "age", None),  # none when the check itself failed
            "max_loaded_at": _iso(getattr(r, "max_loaded_at", None)),
        }
        for r in outcome.freshness
    ]
    status = "published" if outcome.published else "passed" if outcome.success else "failed"
    tests = [r for r in outcome.result if r.node.resource_type in TESTS]
    return {
        "run_id": str(uuid.uuid4()),
        "project": project,
        "stage": stage,
        "branch": outcome.branch,
        "status": status,
        "started_at": _iso(outcome.started_at),
        "ended_at": _iso(outcome.ended_at),
        "duration_seconds": (outcome.ended_at - outcome.started_at).total_seconds(),
        "nodes": by_status(outcome.result),
        "tests_failed": sum(str(r.status) in TEST_FAILED for r in tests),
        "failed_nodes": [r.node.unique_id for r in outcome.result if str(r.status) in TEST_FAILED],
        "stale_sources": sum(s["status"] in STALE for s in sources),
        "sources": sources,
    }


def metric_data(log: Mapping) -> list[dict]:
    """The record as CloudWatch data. StaleSources and the lags only when the run checked its
    sources (its upstream stage): a curated stage says nothing about them."""
    at = datetime.fromisoformat(log["ended_at"])
    project = {"Project": log["project"] or "domain"}
    data = [
        datum("GateFailed", log["status"] == "failed", "Count", project, at),
        datum("TestsFailed", log["tests_failed"], "Count", project, at),
        datum("GateDurationSeconds", log["duration_seconds"], "Seconds", project, at),
    ]
    if log["sources"]:
        data.append(datum("StaleSources", log["stale_sources"], "Count", project, at))
    for source in log["sources"]:
        if source["lag_seconds"] is not None:
            where = {**project, "Source": source["source"]}
            data.append(datum("FreshnessLagSeconds", source["lag_seconds"], "Seconds", where, at))
    return data


def keep(log: Mapping, target: str | None, environ: Mapping[str, str] = os.environ) -> None:
    """The record where a run of the gate is watched: a JSON line in its output and, on AWS in
    the pipeline (METRIC_NAMESPACE set, a target other than local), its metrics."""
    print(json.dumps({"msg": "gate run", **log}), flush=True)
    namespace = environ.get(NAMESPACE_VARIABLE)
    if not namespace or target in (None, "local"):
        return
    try:
        import boto3

        # AWS_REGION as CodeBuild and the profile set it (boto3 alone reads AWS_DEFAULT_REGION)
        client = boto3.client("cloudwatch", region_name=environ.get("AWS_REGION"))
        put(client, namespace, metric_data(log))
    except Exception as error:  # the build's outcome matters more than its metrics
        print(f"gate: could not put the run's metrics in {namespace}: {error}", file=sys.stderr)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
