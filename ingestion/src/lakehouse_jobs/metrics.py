"""CloudWatch metric data: one datum per figure, put in as few calls as PutMetricData allows.

One code path for the ingestion jobs (lakehouse_jobs.lifecycle) and the quality gate
(lakehouse.run_log, which the dbt bundle ships with this module): standard library only, the
caller brings the boto3 client (through the AWS guard, for the jobs).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

MAX_PER_CALL = 1000  # PutMetricData takes at most 1,000 data per request


def datum(name: str, value: float, unit: str, dimensions: Mapping[str, str], at: datetime) -> dict:
    """One MetricDatum: `unit` is CloudWatch's (Count, Seconds, None)."""
    return {
        "MetricName": name,
        "Dimensions": [{"Name": k, "Value": str(v)} for k, v in dimensions.items()],
        "Value": float(value),
        "Unit": unit,
        "Timestamp": at,
    }


def put(client, namespace: str, data: list[dict]) -> None:
    """Every datum into `namespace`; raises what the client raises."""
    for start in range(0, len(data), MAX_PER_CALL):
        client.put_metric_data(Namespace=namespace, MetricData=data[start : start + MAX_PER_CALL])
