"""glue-local enforcing IAM: API calls as the caller, statements as the session's role, refused
the way AWS refuses them (on the shared lakehouse, with small hand-written policies; the
project's real policies are parity's)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from lakehouse.glue_local import GlueEmulator, start_server
from lakehouse.glue_local.client import REGION
from lakehouse.glue_local.enforcement import Enforcement
from lakehouse.glue_local.iam import Policy
from lakehouse.glue_local.principals import Principal, Principals
from lakehouse.glue_local.resources import Resources

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"
GLUE_ARN = f"arn:aws:glue:{REGION}:{ACCOUNT}"
SESSION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/sales-session"
TRUST_GLUE = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "glue.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
}


def policy(name, *statements):
    return Policy.parse(name, {"Version": "2012-10-17", "Statement": list(statements)})


def allow(sid, actions, resources, **extra):
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources, **extra}


CATALOG_READ = allow(
    "ReadCatalog",
    ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables"],
    [f"{GLUE_ARN}:catalog", f"{GLUE_ARN}:database/*", f"{GLUE_ARN}:table/*/*"],
)
SESSIONS = allow("Sessions", "glue:*Session*", f"{GLUE_ARN}:session/*")
STATEMENTS = allow("Statements", "glue:*Statement*", f"{GLUE_ARN}:session/*")


def principals() -> Principals:
    session_role = Principal(
        "sales-session",
        SESSION_ROLE,
        [
            policy(
                "session-access",
                CATALOG_READ,
                allow("ReadSalesData", "s3:GetObject", "arn:aws:s3:::refined/sales/*"),
                allow("ReadSalesRaw", "s3:GetObject", "arn:aws:s3:::raw/sales/*"),
                allow(
                    "ListSalesRaw",
                    "s3:ListBucket",
                    "arn:aws:s3:::raw",
                    Condition={"StringLike": {"s3:prefix": ["sales/*"]}},
                ),
            )
        ],
        TRUST_GLUE,
    )
    no_default = Principal(
        "no-default",
        f"arn:aws:iam::{ACCOUNT}:role/no-default",
        [policy("narrow", allow("One", "glue:GetTable", f"{GLUE_ARN}:table/x/y"))],
        TRUST_GLUE,
    )
    not_for_glue = Principal("lambda-role", f"arn:aws:iam::{ACCOUNT}:role/lambda-role", [], {})
    runner = Principal(
        "runner",
        f"arn:aws:iam::{ACCOUNT}:role/runner",
        [
            policy(
                "caller",
                CATALOG_READ,
                SESSIONS,
                STATEMENTS,
                allow(
                    "Pass",
                    "iam:PassRole",
                    [SESSION_ROLE, no_default.arn, not_for_glue.arn],
                    Condition={"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}},
                ),
            )
        ],
    )
    stranger = Principal(
        "stranger", f"arn:aws:iam::{ACCOUNT}:user/stranger", [policy("none", SESSIONS)]
    )
    return Principals(ACCOUNT, [session_role, no_default, not_for_glue, runner, stranger])


@pytest.fixture(scope="module")
def enforced(lakehouse):
    resources = Resources(ACCOUNT, REGION, lakehouse.home / "warehouse")
    emulator = GlueEmulator(
        lakehouse.spark, wait_seconds=2.0, enforcement=Enforcement(principals(), resources)
    )
    server, url = start_server(emulator)
    yield url, emulator
    server.shutdown()
    server.server_close()
    emulator.close()


def client(url: str, principal: str):
    return boto3.client(
        "glue",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=principal,
        aws_secret_access_key="any",
    )


def run(glue, session_id: str, code: str) -> dict:
    statement_id = glue.run_statement(SessionId=session_id, Code=code)["Id"]
    while (st := glue.get_statement(SessionId=session_id, Id=statement_id)["Statement"])[
        "State"
    ] not in ("AVAILABLE", "ERROR"):
        pass
    return st["Output"]


@pytest.fixture(scope="module")
def session(enforced):
    url, _ = enforced
    glue = client(url, "runner")
    glue.create_session(Id="enforced", Role=SESSION_ROLE, Command={"Name": "glueetl"})
    yield glue
    glue.delete_session(Id="enforced")


def denied_message(output: dict) -> str:
    assert output["Status"] == "error", output
    assert output["ErrorName"] == "AccessDeniedException", output
    return output["ErrorValue"]


def test_a_statement_reads_what_the_role_may_read(session):
    output = run(
        session, "enforced", "spark.sql('select count(*) from cmr_refined.orders').first()[0]"
    )
    assert output["Status"] == "ok", output
    assert int(output["Data"]["TextPlain"]) > 0


def test_reading_another_projects_data_is_denied_naming_role_action_and_resource(session):
    message = denied_message(
        run(session, "enforced", "spark.sql('select count(*) from cmr_refined.customers').first()")
    )
    assert message == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/sales-session/glue-local is not authorized "
        "to perform: s3:GetObject on resource: arn:aws:s3:::refined/customers/customers/* "
        "because no identity-based policy allows the action"
    )


def test_a_view_is_checked_through_to_the_tables_it_reads(session):
    message = denied_message(
        run(
            session, "enforced", "spark.sql('select * from cmr_staging.stg_crm__customers').count()"
        )
    )
    assert "s3:GetObject on resource: arn:aws:s3:::raw/customers/" in message


def test_writes_need_their_catalog_action(session):
    create = "spark.sql('create table cmr_refined.probe_denied using iceberg as select 1 as x')"
    message = denied_message(run(session, "enforced", create))
    assert f"glue:CreateTable on resource: {GLUE_ARN}:catalog" in message
    insert = (
        "spark.sql('select * from cmr_refined.orders limit 1')"
        ".write.insertInto('cmr_refined.orders')"
    )
    message = denied_message(run(session, "enforced", insert))
    assert f"glue:UpdateTable on resource: {GLUE_ARN}:catalog" in message


def test_a_branch_command_updates_the_table_it_names(session):
    # the gate's publish drops its audit branch (Iceberg names the table by its parts)
    drop = "spark.sql('alter table cmr_refined.orders drop branch if exists audit_probe')"
    message = denied_message(run(session, "enforced", drop))
    assert f"glue:UpdateTable on resource: {GLUE_ARN}:catalog" in message


def test_dropping_needs_delete_only_when_there_is_a_table(session):
    # Spark looks a table up before it drops it: DROP ... IF EXISTS of a missing one deletes
    # nothing on AWS, so it needs no glue:DeleteTable
    missing = run(session, "enforced", "spark.sql('drop table if exists cmr_refined.never_built')")
    assert missing["Status"] == "ok", missing
    message = denied_message(run(session, "enforced", "spark.sql('drop table cmr_refined.orders')"))
    assert f"glue:DeleteTable on resource: {GLUE_ARN}:catalog" in message


def test_a_refused_statement_changes_nothing(session, lakehouse):
    assert not lakehouse.spark.catalog.tableExists("cmr_refined.probe_denied")


def test_the_callers_api_calls_are_checked(enforced):
    url, _ = enforced
    with pytest.raises(ClientError) as refused:
        client(url, "stranger").get_table(DatabaseName="cmr_refined", Name="orders")
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert refused.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/stranger is not authorized to perform: glue:GetTable "
        f"on resource: {GLUE_ARN}:catalog because no identity-based policy allows the action"
    )
    assert client(url, "runner").get_table(DatabaseName="cmr_refined", Name="orders")["Table"]


def test_an_unknown_access_key_is_not_a_caller(enforced):
    url, _ = enforced
    with pytest.raises(ClientError) as refused:
        client(url, "nobody").get_databases()
    assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_create_session_needs_pass_role_and_a_role_glue_may_assume(enforced):
    url, _ = enforced
    with pytest.raises(ClientError) as refused:
        client(url, "stranger").create_session(
            Id="s1", Role=SESSION_ROLE, Command={"Name": "glueetl"}
        )
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert f"iam:PassRole on resource: {SESSION_ROLE}" in refused.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as refused:
        client(url, "runner").create_session(
            Id="s2", Role=f"arn:aws:iam::{ACCOUNT}:role/lambda-role", Command={"Name": "glueetl"}
        )
    assert "not a role glue.amazonaws.com may assume" in refused.value.response["Error"]["Message"]


def test_a_session_whose_role_cannot_see_the_default_database_fails_its_first_statement(enforced):
    url, _ = enforced
    glue = client(url, "runner")
    glue.create_session(
        Id="no-default", Role=f"arn:aws:iam::{ACCOUNT}:role/no-default", Command={"Name": "glueetl"}
    )
    try:
        message = denied_message(run(glue, "no-default", "1 + 1"))
        assert message.startswith("Unable to verify existence of default database: User: ")
        assert f"glue:GetDatabase on resource: {GLUE_ARN}:catalog" in message
    finally:
        glue.delete_session(Id="no-default")
