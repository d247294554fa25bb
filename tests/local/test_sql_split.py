from lakehouse.local.shell import ready
from lakehouse.local.sql import split_statements
from lakehouse.local.statements import is_complete


def test_statements_split_on_semicolons_outside_quotes_and_comments():
    text = """
    select 'a;b' as x;  -- a comment; with a semicolon
    select "c;d", `e;f` from t ;

    ;
    select 1
    """
    assert split_statements(text) == [
        "select 'a;b' as x",
        'select "c;d", `e;f` from t',
        "select 1",
    ]


def test_block_comments_and_escaped_quotes_hide_semicolons():
    text = "select /*+ repartition(2) */ 'it\\'s; fine' /* a; b */ as x; select `a;b` from t"
    assert split_statements(text) == [
        "select /*+ repartition(2) */ 'it\\'s; fine' /* a; b */ as x",
        "select `a;b` from t",
    ]


def test_input_is_complete_when_it_ends_with_a_semicolon_outside_quotes_and_comments():
    assert is_complete("select 1;")
    assert is_complete("select 1\n  from t; -- done")
    assert is_complete("select 1; select 2;")
    assert not is_complete("select 1")
    assert not is_complete("select ';")
    assert not is_complete("select 1 /* ; */")
    assert not is_complete("select 1 -- ;")
    assert not is_complete("select 1; select 2")
    assert not is_complete(";")


def test_the_shell_runs_meta_commands_and_exit_at_once():
    assert all(map(ready, ["\\dt", "\\d cmr_raw.x", "exit", "quit;", "", "select 1;"]))
    assert not ready("select 1")
