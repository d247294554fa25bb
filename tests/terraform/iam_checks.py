"""Evaluate generated IAM policies: lint with parliament and check per-project isolation.

`isolation_violations` is deliberately strict: an S3 resource outside the project's
prefixes, another project's name, or a Resource "*" on an action that supports resource-level
permissions is a violation. `allows` is a small Allow-statement evaluator (wildcards in
actions and resources; s3:prefix conditions of ListBucket) used to ask "can this policy read
or write that object?".
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

# Actions AWS only grants on Resource "*" (no resource-level permissions).
WILDCARD_ALLOWED_ACTIONS = frozenset(
    {
        "cloudwatch:PutMetricData",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcAttribute",
        "ec2:DescribeVpcEndpoints",
        "glue:ListSessions",
        "lakeformation:GetDataAccess",
        "lakeformation:BatchGrantPermissions",
        "sts:GetCallerIdentity",
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
    }
)

# Shared, project-independent keys of the artifacts bucket a project role may read.
SHARED_ARTIFACT_PREFIXES = ("glue/lib/", "dbt/")
PROJECT_ARTIFACT_PREFIXES = ("glue/{p}/", "tmp/{p}/", "audit/{p}/", "dbt-runs/{p}/")
# A project's keys in a layer bucket: its prefix, and (raw bucket) its landing and archive folders.
PROJECT_LAYER_PREFIXES = ("{p}/", "landing/{p}/", "archive/{p}/")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(policy: str | dict) -> list[dict]:
    doc = json.loads(policy) if isinstance(policy, str) else policy
    return [
        {**s, "Action": _as_list(s.get("Action")), "Resource": _as_list(s.get("Resource"))}
        for s in _as_list(doc.get("Statement"))
    ]


def parliament_findings(policy: str, max_severity: str = "LOW") -> list[str]:
    """Findings of parliament above `max_severity` (as 'ISSUE severity detail' lines)."""
    from parliament import analyze_policy_string, config

    order = ["MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
    limit = order.index(max_severity)
    out = []
    for f in analyze_policy_string(policy).findings:
        severity = config.get(f.issue, {}).get("severity", "HIGH")
        if order.index(severity) > limit:
            out.append(f"{f.issue} {severity} {f.detail}")
    return out


def allows(policy: str | dict, action: str, resource: str, s3_prefix: str | None = None) -> bool:
    """True when an Allow statement grants `action` on `resource` (Deny is not modelled:
    the project policies have none). For s3:ListBucket, `s3_prefix` is matched against an
    s3:prefix StringLike condition when the statement has one."""
    for s in statements(policy):
        if s.get("Effect") != "Allow":
            continue
        if not any(fnmatchcase(action.lower(), a.lower()) for a in s["Action"]):
            continue
        if not any(fnmatchcase(resource, r) for r in s["Resource"]):
            continue
        prefixes = _as_list(s.get("Condition", {}).get("StringLike", {}).get("s3:prefix"))
        if (
            prefixes
            and s3_prefix is not None
            and not any(fnmatchcase(s3_prefix, p) for p in prefixes)
        ):
            continue
        return True
    return False


def isolation_violations(
    policy: str | dict,
    project: str,
    other_projects: list[str],
    layer_buckets: list[str],
    artifacts_bucket: str,
) -> list[str]:
    found = []
    project_prefixes = tuple(p.format(p=project) for p in PROJECT_ARTIFACT_PREFIXES)
    layer_prefixes = tuple(p.format(p=project) for p in PROJECT_LAYER_PREFIXES)
    for s in statements(policy):
        if s.get("Effect") != "Allow":
            continue
        sid = s.get("Sid", "?")
        if "*" in s["Resource"]:
            extra = sorted(set(s["Action"]) - WILDCARD_ALLOWED_ACTIONS)
            if extra:
                found.append(
                    f"{sid}: Resource '*' for actions with resource-level permissions: {extra}"
                )
        for r in s["Resource"]:
            for other in other_projects:
                if other in r.replace(":", "/").split("/") or f"/{other}__" in r:
                    found.append(f"{sid}: resource of project {other}: {r}")
            if not r.startswith("arn:aws:s3:::"):
                continue
            bucket, _, key = r[len("arn:aws:s3:::") :].partition("/")
            if bucket in layer_buckets:
                if key and not key.startswith(layer_prefixes):
                    found.append(f"{sid}: object resource outside {bucket}'s {project} keys: {r}")
            elif bucket == artifacts_bucket:
                if key and not key.startswith(project_prefixes + SHARED_ARTIFACT_PREFIXES):
                    found.append(f"{sid}: artifacts resource outside the project's keys: {r}")
            else:
                found.append(f"{sid}: S3 resource in an unexpected bucket: {r}")
            if not key and "s3:ListBucket" in s["Action"]:
                prefixes = _as_list(s.get("Condition", {}).get("StringLike", {}).get("s3:prefix"))
                allowed = (*layer_prefixes, *project_prefixes, *SHARED_ARTIFACT_PREFIXES)
                if not prefixes or not all(p.startswith(allowed) for p in prefixes):
                    found.append(
                        f"{sid}: ListBucket on {bucket} not limited to the project's prefixes"
                    )
    return found
