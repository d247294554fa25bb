"""glue-local's IAM evaluator against AWS's documented semantics for identity-based policies
(no Spark): explicit deny wins, wildcards, NotAction / NotResource, the condition operators
the project's policies use, absent keys, and failing closed on what it does not know."""

import pytest

from lakehouse.glue_local.iam import Policy, Request, decide, matches

BUCKET = "arn:aws:s3:::ie-cmr-dev-refined-123456789012"


def policy(*statements, name="p") -> Policy:
    return Policy.parse(name, {"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource, **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource, **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def test_nothing_is_allowed_without_an_allow():
    decision = decide([], Request("s3:GetObject", f"{BUCKET}/sales/x"))
    assert not decision.allowed
    assert decision.reason == "because no identity-based policy allows the action"


def test_an_explicit_deny_wins_over_any_allow_in_any_policy():
    granting = policy(allow("s3:*", "*"), name="broad")
    denying = policy(deny("s3:DeleteObject", f"{BUCKET}/*", Sid="NoDeletes"), name="guard")
    assert decide([granting], Request("s3:DeleteObject", f"{BUCKET}/a")).allowed
    decision = decide([granting, denying], Request("s3:DeleteObject", f"{BUCKET}/a"))
    assert not decision.allowed
    assert decision.reason == "with an explicit deny in guard (NoDeletes)"
    assert decide([granting, denying], Request("s3:GetObject", f"{BUCKET}/a")).allowed


@pytest.mark.parametrize(
    ("glob", "value", "expected"),
    [
        ("arn:aws:s3:::b/sales/*", "arn:aws:s3:::b/sales/orders/part-0.parquet", True),
        ("arn:aws:s3:::b/sales/*", "arn:aws:s3:::b/salesforce/x", False),
        ("arn:aws:s3:::b/sales/*", "arn:aws:s3:::b/sales", False),
        ("arn:aws:glue:*:*:table/cmr_refined_*/*", "arn:aws:glue:r:1:table/cmr_refined_jd/t", True),
        ("arn:aws:glue:*:*:table/cmr_refined_*/*", "arn:aws:glue:r:1:table/cmr_refined/t", False),
        ("arn:aws:s3:::b/?ales/*", "arn:aws:s3:::b/sales/x", True),
        ("arn:aws:s3:::b/?ales/*", "arn:aws:s3:::b/ales/x", False),
        ("arn:aws:s3:::b/Sales/*", "arn:aws:s3:::b/sales/x", False),  # resources keep case
    ],
)  # fmt: skip
def test_resource_wildcards(glob, value, expected):
    assert matches(glob, value) is expected


def test_actions_match_without_case_and_with_wildcards():
    doc = [policy(allow(["glue:Get*", "S3:getobject"], "*"))]
    assert decide(doc, Request("glue:GetTables", "x")).allowed
    assert decide(doc, Request("s3:GetObject", "x")).allowed
    assert not decide(doc, Request("glue:CreateTable", "x")).allowed


def test_not_action_and_not_resource():
    everything_but_iam = policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert decide([everything_but_iam], Request("glue:GetTable", "x")).allowed
    assert not decide([everything_but_iam], Request("iam:PassRole", "x")).allowed
    outside_customers = policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": f"{BUCKET}/customers/*"}
    )
    assert decide([outside_customers], Request("s3:GetObject", f"{BUCKET}/sales/o")).allowed
    assert not decide([outside_customers], Request("s3:GetObject", f"{BUCKET}/customers/c")).allowed


def test_the_s3_prefix_condition_of_a_listing():
    listing = policy(
        allow(
            "s3:ListBucket", BUCKET, Condition={"StringLike": {"s3:prefix": ["sales/", "sales/*"]}}
        )
    )
    assert decide(
        [listing], Request("s3:ListBucket", BUCKET, {"s3:prefix": "sales/orders/"})
    ).allowed
    assert not decide(
        [listing], Request("s3:ListBucket", BUCKET, {"s3:prefix": "customers/"})
    ).allowed
    # a listing without a prefix (the whole bucket) does not match a positive condition
    assert not decide([listing], Request("s3:ListBucket", BUCKET)).allowed


def test_pass_role_only_to_glue():
    pass_role = policy(
        allow(
            "iam:PassRole",
            "arn:aws:iam::1:role/cmr-dev-sales-dbt-session",
            Condition={"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}},
        )
    )
    role = "arn:aws:iam::1:role/cmr-dev-sales-dbt-session"
    glue = {"iam:PassedToService": "glue.amazonaws.com"}
    assert decide([pass_role], Request("iam:PassRole", role, glue)).allowed
    ec2 = {"iam:PassedToService": "ec2.amazonaws.com"}
    assert not decide([pass_role], Request("iam:PassRole", role, ec2)).allowed
    other = "arn:aws:iam::1:role/cmr-dev-customers-dbt-session"
    assert not decide([pass_role], Request("iam:PassRole", other, glue)).allowed


def test_negated_operators_match_an_absent_key_and_if_exists_forms():
    absent_ok = policy(
        allow("s3:GetObject", "*", Condition={"StringNotEquals": {"aws:PrincipalTag/team": "x"}})
    )
    assert decide([absent_ok], Request("s3:GetObject", "o")).allowed
    assert not decide(
        [absent_ok], Request("s3:GetObject", "o", {"aws:PrincipalTag/team": "x"})
    ).allowed
    if_exists = policy(
        allow("s3:GetObject", "*", Condition={"StringEqualsIfExists": {"s3:prefix": "sales/"}})
    )
    assert decide([if_exists], Request("s3:GetObject", "o")).allowed
    assert not decide([if_exists], Request("s3:GetObject", "o", {"s3:prefix": "x/"})).allowed


def test_every_condition_must_hold_and_any_value_of_one_key():
    both = policy(
        allow(
            "s3:PutObject",
            "*",
            Condition={
                "StringEquals": {"aws:SourceAccount": ["111111111111", "123456789012"]},
                "Bool": {"aws:SecureTransport": "true"},
            },
        )
    )
    good = {"aws:SourceAccount": "123456789012", "aws:SecureTransport": "true"}
    assert decide([both], Request("s3:PutObject", "o", good)).allowed
    plain_http = {**good, "aws:SecureTransport": "false"}
    assert not decide([both], Request("s3:PutObject", "o", plain_http)).allowed


def test_null_and_set_operators():
    no_tag = policy(
        allow("glue:CreateTable", "*", Condition={"Null": {"aws:RequestTag/x": "true"}})
    )
    assert decide([no_tag], Request("glue:CreateTable", "t")).allowed
    assert not decide([no_tag], Request("glue:CreateTable", "t", {"aws:RequestTag/x": "1"})).allowed
    only_known = policy(
        allow(
            "glue:TagResource",
            "*",
            Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}},
        )
    )
    assert decide([only_known], Request("glue:TagResource", "s", {"aws:TagKeys": ["a"]})).allowed
    assert not decide(
        [only_known], Request("glue:TagResource", "s", {"aws:TagKeys": ["a", "c"]})
    ).allowed


def test_an_unknown_condition_operator_fails_closed():
    strange = {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
    allowing = policy(allow("s3:GetObject", "*", Condition=strange))
    assert not decide([allowing], Request("s3:GetObject", "o")).allowed
    denying = policy(allow("s3:*", "*"), deny("s3:GetObject", "*", Condition=strange))
    assert not decide([denying], Request("s3:GetObject", "o")).allowed
