"""The IAM checks used on the generated policies catch what they must (no terraform needed);
`allowed` is glue-local's evaluator (lakehouse.glue_local.iam.decide)."""

from __future__ import annotations

import json

import pytest

from .iam_checks import allowed, isolation_violations, parliament_findings

pytestmark = pytest.mark.terraform

RAW = "ie-cmr-dev-raw-123456789012"
REFINED = "ie-cmr-dev-refined-123456789012"
ART = "ie-cmr-dev-artifacts-123456789012"
# a generated read of sales: customers' refined customers table
READ = f"arn:aws:s3:::{REFINED}/customers/customers/*"


def _policy(*stmts) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(stmts)})


def _check(policy: str) -> list[str]:
    return isolation_violations(
        policy, "sales", ["customers", "supply"], [RAW, REFINED], ART, [READ]
    )


GOOD = _policy(
    {
        "Sid": "Rw",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": [f"arn:aws:s3:::{RAW}/sales/*"],
    },
    {
        "Sid": "List",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{RAW}",
        "Condition": {"StringLike": {"s3:prefix": ["sales/", "sales/*"]}},
    },
    {"Sid": "Id", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
)


def test_a_scoped_policy_passes():
    assert _check(GOOD) == []
    assert allowed(GOOD, "s3:PutObject", f"arn:aws:s3:::{RAW}/sales/orders/x.parquet")
    assert not allowed(GOOD, "s3:GetObject", f"arn:aws:s3:::{RAW}/customers/x.parquet")
    assert not allowed(GOOD, "s3:ListBucket", f"arn:aws:s3:::{RAW}", {"s3:prefix": "customers/"})


READS = _policy(
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [READ]},
    {
        "Sid": "ListRead",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{REFINED}",
        "Condition": {
            "StringLike": {"s3:prefix": ["customers/customers/", "customers/customers/*"]}
        },
    },
)


def test_a_generated_read_is_the_one_foreign_resource_allowed_read_only():
    assert _check(READS) == []
    table = f"arn:aws:s3:::{REFINED}/customers/customers"
    assert allowed(READS, "s3:GetObject", f"{table}/data/part-0.parquet")
    assert not allowed(READS, "s3:PutObject", f"{table}/data/part-0.parquet")
    assert not allowed(READS, "s3:GetObject", f"arn:aws:s3:::{REFINED}/customers/nations/x")
    write = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": [READ]}
    assert _check(_policy(write)), "a write on a generated read must be caught"
    other = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": [READ.replace("/customers/*", "/nations/*")],
    }
    assert _check(_policy(other)), "a read of another table of customers must be caught"


@pytest.mark.parametrize(
    "bad",
    [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{RAW}/*"},
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{RAW}/customers/*",
        },
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "glue:GetTable", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{RAW}"},
        {
            "Effect": "Allow",
            "Action": "glue:UpdateTable",
            "Resource": "arn:aws:glue:eu-west-1:123456789012:table/cmr_raw/supply__*",
        },
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{ART}/glue/customers/*",
        },
    ],
)
def test_a_wildcard_or_foreign_prefix_is_caught(bad):
    assert _check(_policy(bad)), f"not caught: {bad}"


def test_parliament_flags_a_broken_policy():
    broken = _policy(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:glue:eu-west-1:123456789012:catalog",
        }
    )
    assert parliament_findings(broken), "parliament must report an action/resource mismatch"
    assert parliament_findings(GOOD) == []


def test_parliament_misreadings_only_are_left_out():
    """The findings left out (PARLIAMENT_MISREADINGS): DescribeExecution on standard
    executions, a key by its alias; StopExecution on a state machine instead of executions, or
    an unknown condition key, are still reported."""
    executions = "arn:aws:states:eu-west-1:123456789012:execution:cmr-dev-*-pipeline:*"
    describe = {"Effect": "Allow", "Action": "states:DescribeExecution", "Resource": executions}
    assert parliament_findings(_policy(describe)) == []
    by_alias = {
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "arn:aws:kms:eu-west-1:123456789012:key/*",
        "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/cmr-dev"]}},
    }
    assert parliament_findings(_policy(by_alias)) == []
    by_alias["Condition"] = {"StringEquals": {"kms:NoSuchKey": "x"}}
    assert parliament_findings(_policy(by_alias))
    machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-sales-pipeline"
    stop = {"Effect": "Allow", "Action": "states:StopExecution", "Resource": machine}
    assert parliament_findings(_policy(stop))
