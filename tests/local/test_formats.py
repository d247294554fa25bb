"""`make sql`'s result formats on rows as Spark hands them over: NULLs, decimals, dates,
timestamps, strings holding the separators, quotes and line breaks. No Spark needed: a
schema's fields and tuples are all a writer sees."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from pyspark.sql.types import (
    DateType,
    DecimalType,
    IntegerType,
    StringType,
    StructField,
    TimestampType,
)

from lakehouse.local import formats, sql

FIELDS = [
    StructField("id", IntegerType()),
    StructField("name", StringType()),
    StructField("amount", DecimalType(38, 18)),
    StructField("day", DateType()),
    StructField("at", TimestampType()),
]
BIG = Decimal("12345678901234567890.123456789012345678")  # a float would round it
ROWS = [
    (1, "plain", Decimal("1.50"), datetime.date(2024, 1, 31), datetime.datetime(2024, 1, 31, 8)),
    (2, 'a|b, "c"\nd', BIG, None, None),
    (None, None, None, None, None),
]


def written(writer, rows=ROWS, **kwargs) -> str:
    out = io.StringIO(newline="")
    writer(FIELDS, iter(rows), out, **kwargs)
    return out.getvalue()


def test_psv_is_the_pipe_separated_output_scripts_read():
    assert written(formats.psv) == (
        "id|name|amount|day|at\n"
        "1|plain|1.50|2024-01-31|2024-01-31 08:00:00\n"
        f'2|a|b, "c"\nd|{BIG}||\n'
        "||||\n"
    )


def test_csv_is_rfc_4180_and_reads_back():
    text = written(formats.csv)
    assert text.startswith("id,name,amount,day,at\r\n1,plain,1.50,2024-01-31,")
    assert '"a|b, ""c""\nd"' in text  # quoted, quotes doubled, the line break kept
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["id", "name", "amount", "day", "at"],
        ["1", "plain", "1.50", "2024-01-31", "2024-01-31 08:00:00"],
        ["2", 'a|b, "c"\nd', str(BIG), "", ""],
        ["", "", "", "", ""],  # NULL is an empty field
    ]


def test_json_lines_lose_nothing():
    lines = written(formats.json).splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first == {
        "id": 1,
        "name": "plain",
        "amount": "1.50",
        "day": "2024-01-31",
        "at": "2024-01-31T08:00:00",
    }
    assert list(first) == ["id", "name", "amount", "day", "at"]  # column order
    assert Decimal(second["amount"]) == BIG and second["name"] == 'a|b, "c"\nd'
    assert third == dict.fromkeys(first)  # NULL is null


def test_json_writes_zero_with_a_scale_as_a_plain_number():
    out = io.StringIO()
    formats.json([StructField("n", DecimalType(20, 10))], iter([(Decimal("0E-10"),)]), out)
    assert json.loads(out.getvalue()) == {"n": "0.0000000000"}


def test_aligned_pads_columns_and_right_aligns_numbers():
    out = io.StringIO()
    formats.aligned(FIELDS[:4], (row[:4] for row in ROWS), out)
    assert out.getvalue() == (
        "  id | name     |                                  amount | day\n"
        "-----+----------+-----------------------------------------+-----------\n"
        "   1 | plain    |                                    1.50 | 2024-01-31\n"
        '   2 | a|b, "c" | 12345678901234567890.123456789012345678 | NULL\n'
        "     | d        |                                         |\n"  # the name's 2nd line
        "NULL | NULL     |                                    NULL | NULL\n"
        "(3 rows)\n"
    )


def test_aligned_shows_a_timestamp_as_spark_does():
    out = io.StringIO()
    formats.aligned(FIELDS[4:], iter([ROWS[0][4:]]), out)
    assert out.getvalue().splitlines()[2] == "2024-01-31 08:00:00"


def test_aligned_says_one_row_and_ok_for_a_statement_without_a_result():
    out = io.StringIO()
    formats.aligned([StructField("n", IntegerType())], iter([(1,)]), out)
    assert out.getvalue() == "n\n-\n1\n(1 row)\n"
    out = io.StringIO()
    assert formats.aligned([], iter([]), out) == 0
    assert out.getvalue() == "OK\n"


def test_aligned_reads_no_more_rows_than_it_shows():
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield (pulled,)

    out = io.StringIO()
    assert formats.aligned([StructField("n", IntegerType())], endless(), out, limit=3) == 3
    assert pulled == 4  # the limit and one more, to know there are more
    assert out.getvalue() == "n\n-\n1\n2\n3\n(first 3 rows shown: the result has more)\n"


def test_every_format_has_a_file_extension():
    assert {name: f.extension for name, f in formats.FORMATS.items()} == {
        "aligned": "txt",
        "csv": "csv",
        "json": "jsonl",
        "psv": "psv",
    }


def test_an_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        sql.main(["--query", "select 1", "--format", "xml"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--query", "select 1", "--file", "q.sql"],
        ["--file", "q.sql"],
        ["--query", "select 1", "--out", "out"],
    ],
)
def test_contradicting_options_are_usage_errors(argv):
    with pytest.raises(SystemExit) as exit_:
        sql.main(argv)
    assert exit_.value.code == 2
