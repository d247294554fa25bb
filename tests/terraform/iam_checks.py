"""Evaluate generated IAM policies: lint with parliament and check per-project isolation.

`isolation_violations` is deliberately strict: an S3 resource outside the project's
prefixes, another project's name, or a Resource "*" on an action that supports resource-level
permissions is a violation; the one exception is a generated read (var.dbt_access.reads): the
objects of exactly that relation, read-only. `allowed` asks glue-local's IAM evaluator
(lakehouse.glue_local.iam.decide: the one glue-local enforces) "can these policies do that?".
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from lakehouse.glue_local.iam import Policy, Request, decide

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
PROJECT_ARTIFACT_PREFIXES = (
    "glue/{p}/", "tmp/{p}/", "audit/{p}/", "dbt-runs/{p}/", "dbt-state/{p}/"
)  # fmt: skip
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


# Findings parliament 1.6 makes wrongly (its IAM data predate them):
# - AWS lists two resource types for states:DescribeExecution (a standard workflow's
#   execution, an express one's) where either will do; parliament requires both, so a
#   statement on executions of standard workflows only (the domain pipeline's role: it runs
#   only the project pipelines, all standard) is reported;
# - kms:ResourceAliases (2021) is a condition key of every operation on a key; parliament does
#   not know it (the domain pipeline names the key it publishes alerts with by its alias).
PARLIAMENT_MISREADINGS = (
    (
        "RESOURCE_MISMATCH",
        {"action": "states:DescribeExecution", "required_format": "arn:*:states:*:*:express:*:*:*"},
    ),
    *(
        ("UNKNOWN_CONDITION_FOR_ACTION", f"Unknown condition kms:ResourceAliases for action {a}")
        for a in ("kms:Decrypt", "kms:GenerateDataKey")
    ),
)


def parliament_findings(policy: str, max_severity: str = "LOW") -> list[str]:
    """Findings of parliament above `max_severity` (as 'ISSUE severity detail' lines), but
    PARLIAMENT_MISREADINGS."""
    from parliament import analyze_policy_string, config

    order = ["MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
    limit = order.index(max_severity)
    out = []
    for f in analyze_policy_string(policy).findings:
        severity = config.get(f.issue, {}).get("severity", "HIGH")
        details = f.detail if isinstance(f.detail, list) else [f.detail]
        details = [d for d in details if (f.issue, d) not in PARLIAMENT_MISREADINGS]
        if order.index(severity) > limit and details:
            out.append(f"{f.issue} {severity} {details}")
    return out


def allowed(
    policies: str | Mapping | list[Policy],
    action: str,
    resource: str,
    context: Mapping[str, str | list[str]] | None = None,
) -> bool:
    """Whether the policies (one document, or a principal's list) allow the request, as
    glue-local decides it (explicit Deny, wildcards, conditions)."""
    if not isinstance(policies, list):
        policies = [Policy.parse("policy", policies)]
    return decide(policies, Request(action, resource, context or {})).allowed


def read_prefixes(objects: Collection[str]) -> set[str]:
    """The s3:prefix values of listing a generated read: arn:aws:s3:::b/o/t/* -> o/t/, o/t/*."""
    keys = {arn.split("/", 1)[1].removesuffix("*") for arn in objects}
    return keys | {f"{key}*" for key in keys}


def isolation_violations(
    policy: str | dict,
    project: str,
    other_projects: list[str],
    layer_buckets: list[str],
    artifacts_bucket: str,
    foreign_reads: Collection[str] = (),
) -> list[str]:
    """`foreign_reads`: the S3 object ARNs of the generated reads ({bucket}/{owner}/{table}/*),
    the only resources of other projects a policy may name, with s3:GetObject only (and the
    listing of their prefixes)."""
    found = []
    project_prefixes = tuple(p.format(p=project) for p in PROJECT_ARTIFACT_PREFIXES)
    layer_prefixes = tuple(p.format(p=project) for p in PROJECT_LAYER_PREFIXES)
    listed_reads = read_prefixes(foreign_reads)
    for s in statements(policy):
        if s.get("Effect") != "Allow":
            continue
        sid = s.get("Sid", "?")
        reads = [r for r in s["Resource"] if r in foreign_reads]
        if reads and set(s["Action"]) != {"s3:GetObject"}:
            found.append(f"{sid}: a generated read with {s['Action']} (only s3:GetObject): {reads}")
        if "*" in s["Resource"]:
            extra = sorted(set(s["Action"]) - WILDCARD_ALLOWED_ACTIONS)
            if extra:
                found.append(
                    f"{sid}: Resource '*' for actions with resource-level permissions: {extra}"
                )
        for r in s["Resource"]:
            if r in foreign_reads:
                continue
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
                own = (*layer_prefixes, *project_prefixes, *SHARED_ARTIFACT_PREFIXES)
                if not prefixes or not all(
                    p.startswith(own) or p in listed_reads for p in prefixes
                ):
                    found.append(
                        f"{sid}: ListBucket on {bucket} not limited to the project's prefixes"
                    )
    return found
