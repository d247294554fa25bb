"""Interactive sessions and statements, through boto3, as dbt-glue drives them."""

import json

import pytest

pytestmark = pytest.mark.integration

ROLE = "arn:aws:iam::123456789012:role/glue-local"
COMMAND = {"Name": "glueetl", "PythonVersion": "3"}


def run(glue, session_id, code):
    statement_id = glue.run_statement(SessionId=session_id, Code=code)["Id"]
    while (st := glue.get_statement(SessionId=session_id, Id=statement_id)["Statement"])[
        "State"
    ] != "AVAILABLE":
        pass
    return st


@pytest.fixture
def session(glue, request):
    session_id = f"test-{request.node.name}"[:60]
    created = glue.create_session(
        Id=session_id,
        Role=ROLE,
        Command=COMMAND,
        DefaultArguments={"--conf": "spark.sql.shuffle.partitions=3 --conf spark.sql.catalog.x=y"},
    )["Session"]
    assert created["Status"] == "PROVISIONING"
    yield session_id
    glue.delete_session(Id=session_id)


def test_a_created_session_is_ready_at_once_with_its_request(glue, session):
    described = glue.get_session(Id=session)["Session"]
    assert (described["Id"], described["Status"], described["Role"]) == (session, "READY", ROLE)
    assert session in glue.list_sessions()["Ids"]


def test_dbt_glue_sql_proxy_runs_and_its_json_comes_back_as_text_plain(glue, session):
    from dbt.adapters.glue.gluedbapi.connection import SQLPROXY

    assert run(glue, session, SQLPROXY)["Output"]["Status"] == "ok"
    st = run(
        glue, session, "SqlWrapper2.execute('''select count(*) as n from cmr_refined.orders''')"
    )
    answer = json.loads(st["Output"]["Data"]["TextPlain"])
    assert answer["description"] == [{"name": "n", "type": "LongType()"}]
    assert answer["results"][0]["data"]["n"] > 0
    assert st["Id"] == 1 and st["StartedOn"] <= st["CompletedOn"]


def test_session_conf_sets_sql_settings_but_not_catalogs(glue, session):
    text = run(glue, session, "print(spark.conf.get('spark.sql.shuffle.partitions'))")["Output"][
        "Data"
    ]["TextPlain"]
    assert text == "3\n"
    text = run(glue, session, "print(spark.conf.get('spark.sql.catalog.x', 'unset'))")["Output"][
        "Data"
    ]["TextPlain"]
    assert text == "unset\n"


def test_a_failed_statement_is_available_with_an_error_output(glue, session):
    output = run(glue, session, "spark.sql('select * from cmr_raw.no_such_table')")["Output"]
    assert output["Status"] == "error"
    assert output["ErrorName"] == "AnalysisException"
    assert "TABLE_OR_VIEW_NOT_FOUND" in output["ErrorValue"]  # dbt-glue looks for this text
    assert output["Traceback"]


def test_statements_are_listed_and_a_waiting_one_can_be_cancelled(glue, session):
    slow = glue.run_statement(SessionId=session, Code="import time\ntime.sleep(1.5)")["Id"]
    queued = glue.run_statement(SessionId=session, Code="print('never')")["Id"]
    glue.cancel_statement(SessionId=session, Id=queued)
    assert run(glue, session, "print('after')")["Output"]["Data"]["TextPlain"] == "after\n"
    states = {s["Id"]: s["State"] for s in glue.list_statements(SessionId=session)["Statements"]}
    assert (states[slow], states[queued]) == ("AVAILABLE", "CANCELLED")


def test_a_stopped_session_refuses_statements_and_a_deleted_one_is_not_found(glue):
    glue.create_session(Id="test-stop", Role=ROLE, Command=COMMAND)
    glue.stop_session(Id="test-stop")
    assert glue.get_session(Id="test-stop")["Session"]["Status"] == "STOPPED"
    with pytest.raises(glue.exceptions.IllegalSessionStateException):
        glue.run_statement(SessionId="test-stop", Code="1")
    glue.delete_session(Id="test-stop")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_session(Id="test-stop")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_statement(SessionId="test-stop", Id=0)


def test_sessions_do_not_share_temp_views(glue, session):
    run(glue, session, "spark.range(3).createOrReplaceTempView('only_here')")
    glue.create_session(Id="test-other", Role=ROLE, Command=COMMAND)
    try:
        output = run(glue, "test-other", "spark.table('only_here')")["Output"]
        assert output["Status"] == "error"
    finally:
        glue.delete_session(Id="test-other")
