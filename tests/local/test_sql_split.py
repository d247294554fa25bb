from lakehouse.local.sql import split_statements


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
