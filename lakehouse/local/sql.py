"""`make sql`: query the local lakehouse.

make sql Q="select ..."                 header line + pipe-separated rows on stdout
make sql FILE=queries.sql OUT=dir       each ;-separated statement to dir/001.psv, 002.psv...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def split_statements(text: str) -> list[str]:
    """Splits on ; outside quotes and comments."""
    statements, current, quote, i = [], [], None, 0
    while i < len(text):
        ch = text[i]
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"', "`"):
            quote = ch
            current.append(ch)
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip()]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def write_result(spark, statement: str, out: TextIO) -> int:
    df = spark.sql(statement)
    out.write("|".join(df.columns) + "\n")
    count = 0
    for row in df.toLocalIterator():
        out.write("|".join(_cell(v) for v in row) + "\n")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-q", "--query")
    parser.add_argument("-f", "--file", type=Path)
    parser.add_argument("-o", "--out", type=Path)
    args = parser.parse_args(argv)
    if bool(args.query) == bool(args.file):
        parser.error('give either Q="select ..." or FILE=queries.sql (with OUT=dir)')
    if args.file and not args.out:
        parser.error("FILE= needs OUT=dir for the result files")
    if args.file and not args.file.is_file():
        parser.error(f"no such file: {args.file}")

    from lakehouse_jobs.spark import get_spark

    spark = get_spark("sql")
    spark.sparkContext.setLogLevel("ERROR")
    from pyspark.errors import PySparkException

    try:
        if args.query:
            write_result(spark, args.query, sys.stdout)
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        for number, statement in enumerate(split_statements(args.file.read_text()), start=1):
            with open(args.out / f"{number:03d}.psv", "w") as out:
                write_result(spark, statement, out)
        return 0
    except PySparkException as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
