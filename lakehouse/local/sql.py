"""`make sql`: query the local lakehouse (docs/sql.md).

make sql                                the interactive shell (when stdin is a terminal)
make sql < queries.sql                  each ;-separated statement's result on stdout
make sql Q="select ..."                 one statement: header line + pipe-separated rows
make sql FILE=queries.sql OUT=dir       each statement's result to dir/001.psv, 002.psv...
FORMAT=aligned|csv|json|psv             the output format: psv for Q= and FILE= (what scripts
                                        read), aligned for stdin and the shell

Exit status: 0 ok, 1 a statement failed (one line `error: ...` on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from lakehouse_jobs.paths import lakehouse_dir

from lakehouse.local.formats import FORMATS, write_dataframe
from lakehouse.local.statements import split_statements

__all__ = ["error_line", "main", "open_spark", "split_statements", "write_result"]


def error_line(error: BaseException) -> str:
    """The first line of what went wrong, never a stack trace. An exception PySpark does not
    translate (a Py4JJavaError, e.g. a failed job) says only "An error occurred while calling
    o42.sql": its Java exception says what happened."""
    text = ""
    java = getattr(error, "java_exception", None)
    if java is not None:
        try:
            message = java.getMessage()
            text = f"{java.getClass().getSimpleName()}: {message}" if message else str(java)
        except Exception:  # noqa: S110 - the JVM is gone; Python's message is all there is
            pass
    text = (text or str(error)).strip()
    return text.splitlines()[0] if text else type(error).__name__


def statement_errors() -> tuple[type[BaseException], ...]:
    """What a failed statement raises: PySpark's translated exceptions, or Py4J's."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def open_spark(app_name: str, extra_conf: dict[str, str] | None = None):
    """The lakehouse's Spark session, quiet. PySpark turns a timestamp into this process's
    local time: it follows the session's time zone, so values print as Spark SQL shows them."""
    from lakehouse_jobs.spark import get_spark

    spark = get_spark(app_name, extra_conf)
    spark.sparkContext.setLogLevel("ERROR")
    os.environ["TZ"] = spark.conf.get("spark.sql.session.timeZone")
    time.tzset()
    return spark


def write_result(spark, statement: str, out: TextIO, format_name: str = "psv") -> int:
    return write_dataframe(spark.sql(statement), format_name, out)


def _run_script(spark, statements: Iterable[str], format_name: str, out_dir: Path | None) -> int:
    """Runs the statements in order, each result to stdout or to out_dir/NNN.<ext>; stops at
    the first that fails."""
    fmt = FORMATS[format_name]
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    for number, statement in enumerate(statements, start=1):
        try:
            if out_dir:
                path = out_dir / f"{number:03d}.{fmt.extension}"
                with open(path, "w", newline=fmt.newline) as out:
                    write_result(spark, statement, out, format_name)
            else:
                frame = spark.sql(statement)  # a statement that fails prints no separator
                if number > 1 and format_name != "json":
                    sys.stdout.write("\n")  # results apart; JSON lines stay one object a line
                write_dataframe(frame, format_name, sys.stdout)
                sys.stdout.flush()
        except statement_errors() as error:
            print(f"error: statement {number}: {error_line(error)}", file=sys.stderr)
            return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-q", "--query", help="one statement; its result on stdout")
    parser.add_argument("-f", "--file", type=Path, help="a file of ;-separated statements")
    parser.add_argument("-o", "--out", type=Path, help="folder of the numbered result files")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), help="psv for Q= and FILE=, else aligned"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.query and args.file:
        parser.error('give either Q="select ..." or FILE=queries.sql (with OUT=dir), not both')
    if args.file and not args.out:
        parser.error("FILE= needs OUT=dir for the result files")
    if args.file and not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    if args.query and args.out:
        parser.error("OUT= goes with FILE= or statements on stdin, not with Q=")
    interactive = not (args.query or args.file) and sys.stdin.isatty()
    if interactive:
        if args.out or args.format not in (None, "aligned"):
            parser.error("the shell shows aligned tables: OUT= and FORMAT= are for Q=, FILE= "
                         "and statements on stdin")  # fmt: skip
        from lakehouse.local import shell

        return shell.main()

    scripted = args.query or args.file  # what scripts have always read: psv
    format_name = args.format or ("psv" if scripted else "aligned")
    # read before Spark starts: a script that cannot be read costs no JVM
    text = args.file.read_text() if args.file else None if args.query else sys.stdin.read()
    try:
        from lakehouse.local.shell import spark_conf  # Spark's log to a file, as the shell's

        spark = open_spark("sql", spark_conf(lakehouse_dir()))
    except Exception as error:  # jars missing, no Java, the metastore in use: one line
        print(f"error: {error_line(error)}", file=sys.stderr)
        return 1
    if args.query:
        try:
            write_result(spark, args.query, sys.stdout, format_name)
        except statement_errors() as error:
            print(f"error: {error_line(error)}", file=sys.stderr)
            return 1
        return 0
    return _run_script(spark, split_statements(text), format_name, args.out)


if __name__ == "__main__":
    sys.exit(main())
