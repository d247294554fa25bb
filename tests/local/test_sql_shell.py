"""`make sql`: a header line and pipe-separated rows; FILE= writes one numbered file per
statement."""

import pytest

from lakehouse.local import sql

pytestmark = pytest.mark.integration


def test_query_prints_header_and_pipe_separated_rows(lakehouse, capsys):
    assert (
        sql.main(["--query", "select n, n * 2 as twice from values (1), (2) as t(n) order by n"])
        == 0
    )
    assert capsys.readouterr().out == "n|twice\n1|2\n2|4\n"


def test_file_of_statements_writes_one_result_per_statement(lakehouse, tmp_path):
    queries = tmp_path / "q.sql"
    queries.write_text(
        "select count(*) as orders from cmr_raw.sales__orders;\n"
        "-- a comment; then a second statement\n"
        "select 'a;b' as text;\n"
    )
    out = tmp_path / "out"
    assert sql.main(["--file", str(queries), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["001.psv", "002.psv"]
    header, value = (out / "001.psv").read_text().splitlines()
    assert header == "orders" and int(value) > 0
    assert (out / "002.psv").read_text() == "text\na;b\n"


def test_a_bad_query_is_an_error_not_a_crash(lakehouse, capsys):
    assert sql.main(["--query", "select * from cmr_raw.no_such_table"]) == 1
    assert "no_such_table" in capsys.readouterr().err
