"""How `make sql` writes a result: one writer per format, and the registry `FORMATS`.

Every writer takes the result's fields (a Spark schema's `StructField`s: names and types),
an iterable of rows (tuples, e.g. `DataFrame.toLocalIterator()`) and a text stream, and
returns the number of rows it wrote. Only `aligned` must see its rows before it writes them (to
size its columns), so it alone stops at a row limit; the others stream every row.
"""

from __future__ import annotations

import csv as csv_module
import datetime
import decimal
import itertools
import json as json_module
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from pyspark.sql.types import NumericType, Row, StructField

DEFAULT_LIMIT = 1000  # rows an aligned table shows


def _plain(value: object) -> object:
    """A value as JSON holds it without losing anything: exact numbers and times as strings."""
    if isinstance(value, Row):
        return {k: _plain(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return format(value, "f")  # str() would write Spark's 0.00 with scale 10 as 0E-10
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return value


def _text(value: object) -> str:
    """A non-NULL value as one cell of text (aligned, csv)."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as Spark SQL writes them
    if isinstance(value, decimal.Decimal | bytes | bytearray):
        return str(_plain(value))
    if isinstance(value, Row | dict | list | tuple):
        return json_module.dumps(_plain(value), ensure_ascii=False)
    return str(value)


def _names(fields: Sequence[StructField]) -> list[str]:
    return [f.name for f in fields]


def psv(fields: Sequence[StructField], rows: Iterable[Sequence], out: TextIO) -> int:
    """A header line and one |-separated line per row, NULL as empty. What scripts of `make
    sql` have always read: keep it byte for byte."""
    out.write("|".join(_names(fields)) + "\n")
    count = 0
    for row in rows:
        out.write("|".join("" if v is None else str(v) for v in row) + "\n")
        count += 1
    return count


def csv(fields: Sequence[StructField], rows: Iterable[Sequence], out: TextIO) -> int:
    """RFC 4180: a header record, CRLF line ends, fields quoted when they hold a comma, a
    quote or a line break; NULL as an empty field. A file `out` must be opened newline=""."""
    writer = csv_module.writer(out)
    writer.writerow(_names(fields))
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else _text(v) for v in row])
        count += 1
    return count


def json(fields: Sequence[StructField], rows: Iterable[Sequence], out: TextIO) -> int:
    """JSON lines: one object per row, keys in column order; decimals, dates and timestamps
    as strings (a float would round a decimal(38,18))."""
    names = _names(fields)
    count = 0
    for row in rows:
        record = {name: _plain(v) for name, v in zip(names, row, strict=True)}
        out.write(json_module.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def aligned(
    fields: Sequence[StructField],
    rows: Iterable[Sequence],
    out: TextIO,
    limit: int = DEFAULT_LIMIT,
) -> int:
    """A table for people, like psql's: a header, a dashed rule, padded columns (numbers to
    the right), NULL as NULL, and "(N rows)". Reads at most `limit` + 1 rows, so a huge result
    costs no more memory than the rows shown; says so when there were more."""
    if not fields:
        out.write("OK\n")  # a statement without a result (create, insert, ...)
        return 0
    head = list(itertools.islice(rows, limit + 1))
    truncated = len(head) > limit
    head = head[:limit]
    cells = [["NULL" if v is None else _text(v) for v in row] for row in head]
    right = [isinstance(f.dataType, NumericType) for f in fields]
    names = _names(fields)
    widths = [
        max([len(name), *(max(map(len, row[i].split("\n"))) for row in cells)])
        for i, name in enumerate(names)
    ]

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return " | ".join(padded).rstrip() + "\n"

    out.write(line(names))
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for row in cells:
        # a value with line breaks continues on the next lines, in its own column
        parts = [v.split("\n") for v in row]
        for k in range(max(map(len, parts))):
            out.write(line([p[k] if k < len(p) else "" for p in parts]))
    count = len(cells)
    if truncated:
        out.write(f"(first {count} rows shown: the result has more)\n")
    else:
        out.write(f"({count} row{'' if count == 1 else 's'})\n")
    return count


@dataclass(frozen=True)
class Format:
    write: Callable[[Sequence[StructField], Iterable[Sequence], TextIO], int]
    extension: str  # of the numbered result files of FILE=/OUT=
    newline: str | None = None  # open()'s newline= for those files


FORMATS: dict[str, Format] = {
    "aligned": Format(aligned, "txt"),
    "csv": Format(csv, "csv", newline=""),  # the csv module writes the CRLFs itself
    "json": Format(json, "jsonl"),
    "psv": Format(psv, "psv"),
}


def write_dataframe(df, name: str, out: TextIO) -> int:
    """Writes a Spark DataFrame in the format `name`, streaming its rows (toLocalIterator
    brings one partition at a time to the driver)."""
    return FORMATS[name].write(df.schema.fields, df.toLocalIterator(), out)
