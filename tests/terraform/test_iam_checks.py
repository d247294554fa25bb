"""The IAM checks used on the generated policies catch what they must (no terraform needed)."""

from __future__ import annotations

import json

import pytest

from .iam_checks import allows, isolation_violations, parliament_findings

pytestmark = pytest.mark.terraform

RAW = "ie-cmr-dev-raw-123456789012"
ART = "ie-cmr-dev-artifacts-123456789012"


def _policy(*stmts) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(stmts)})


def _check(policy: str) -> list[str]:
    return isolation_violations(policy, "sales", ["customers", "supply"], [RAW], ART)


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
    assert allows(GOOD, "s3:PutObject", f"arn:aws:s3:::{RAW}/sales/orders/x.parquet")
    assert not allows(GOOD, "s3:GetObject", f"arn:aws:s3:::{RAW}/customers/x.parquet")
    assert not allows(GOOD, "s3:ListBucket", f"arn:aws:s3:::{RAW}", s3_prefix="customers/")


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
