"""How glue-local runs code: the awsglue shim, output capture, errors (no Spark needed)."""

import builtins

import pytest

from lakehouse.glue_local.awsglue_shim import getResolvedOptions
from lakehouse.glue_local.execution import new_namespace, run_code
from lakehouse.glue_local.sessions import parse_conf


def test_resolved_options_take_the_value_after_each_flag_and_ignore_the_rest():
    argv = ["job.py", "--JOB_ID", "j1", "--BATCH_ID", "b7", "--extra", "x"]
    assert getResolvedOptions(argv, ["BATCH_ID", "JOB_ID"]) == {"BATCH_ID": "b7", "JOB_ID": "j1"}


def test_resolved_options_fail_like_glue_when_an_option_is_missing():
    with pytest.raises(SystemExit, match="--BATCH_ID"):
        getResolvedOptions(["job.py"], ["BATCH_ID"])


def test_executed_code_imports_the_shim_but_the_process_does_not():
    namespace = new_namespace()
    outcome = run_code(
        "from awsglue.utils import getResolvedOptions\n"
        "print(getResolvedOptions(['--A', '1'], ['A']))",
        namespace,
    )
    assert (outcome.ok, outcome.text) == (True, "{'A': '1'}\n")
    with pytest.raises(ModuleNotFoundError):
        builtins.__import__("awsglue")


def test_output_is_what_the_code_printed_plus_its_last_expression():
    namespace = new_namespace()
    assert run_code("x = 40\nprint('hello')\nx + 2", namespace).text == "hello\n42\n"
    assert run_code("x", namespace).text == "40\n"  # the namespace lives on, like a REPL's


def test_errors_carry_name_value_and_traceback_and_keep_the_output_so_far():
    outcome = run_code("print('before')\nraise ValueError('bad seed type')", new_namespace())
    assert not outcome.ok
    assert (outcome.error_name, outcome.error_value) == ("ValueError", "bad seed type")
    assert outcome.text == "before\n"
    assert outcome.traceback[-1] == "ValueError: bad seed type\n"


def test_a_statement_calling_sys_exit_fails_without_ending_the_server():
    outcome = run_code("import sys\nsys.exit(3)", new_namespace())
    assert (outcome.ok, outcome.error_name, outcome.error_value) == (False, "SystemExit", "3")


def test_session_conf_argument_is_split_into_settings():
    conf = "spark.sql.extensions=X --conf spark.sql.session.timeZone=UTC --conf a.b=c=d"
    assert parse_conf(conf) == {
        "spark.sql.extensions": "X",
        "spark.sql.session.timeZone": "UTC",
        "a.b": "c=d",
    }
