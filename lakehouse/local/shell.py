"""`make sql`'s interactive shell: SQL on the local lakehouse, one Spark session (one JVM).

Statements may span lines and run when the input ends with `;` (lakehouse/local/statements.py
decides); results are aligned tables. A statement runs on a worker thread in a Spark job group
of its own, so that Ctrl-C in the main thread can cancel its jobs and the shell goes on.
Spark's log goes to $LAKEHOUSE_DIR/sql_shell.log, the input history to
$LAKEHOUSE_DIR/sql_history. Usage: docs/sql.md.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import select
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from lakehouse.local import formats, statements
from lakehouse.local.sql import error_line, open_spark

PROMPT = "lakehouse> "
CONTINUATION = "...> "
HISTORY = "sql_history"
LOG = "sql_shell.log"

# Spark's log4j2 set-up for the shell: everything to the log file, nothing to the terminal
# (Spark's own default writes WARNs to stderr, over the prompt).
LOG4J2 = """\
# written by `make sql`'s shell (lakehouse/local/shell.py) at each start
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = @LOG@
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss} %p %c{1}: %m%n%ex
"""

HELP = """\
Statements end with ; and may span lines. Ctrl-C cancels a running statement (at the prompt
it clears the line); Ctrl-D, \\q, exit or quit leaves.
  \\dn               schemas
  \\dt [schema]      tables and views, of one schema or all, with their format
  \\d <table>        a table's columns and types (and its partitioning)
  \\timing [on|off]  print the time each statement took (now {timing})
  \\limit [N]        rows a result shows (now {limit})
  \\?                this help
History: {history}
Spark's log: {log}
"""


def spark_conf(home: Path) -> dict[str, str]:
    """What the shell (and make sql's script modes) add to the lakehouse's Spark set-up: a
    log4j2 file that sends Spark's log to $LAKEHOUSE_DIR/sql_shell.log, not the terminal. The
    profile may already give the driver Java options: the shell's are appended."""
    from lakehouse_jobs.spark import local_conf

    home.mkdir(parents=True, exist_ok=True)
    config = home / "sql_shell-log4j2.properties"
    config.write_text(LOG4J2.replace("@LOG@", str(home / LOG)))
    options = local_conf().get("spark.driver.extraJavaOptions", "")
    options = f"{options} -Dlog4j.configurationFile={config}".strip()
    return {"spark.driver.extraJavaOptions": options}


def ready(text: str) -> bool:
    """Enter runs the input (else it starts a new line): a meta-command, exit, or statements
    that end with a `;`."""
    stripped = text.strip()
    if not stripped or stripped.startswith("\\"):
        return True
    return stripped.rstrip(";").strip().lower() in ("exit", "quit") or statements.is_complete(text)


def table_rows(spark, schema: str | None) -> list[tuple[str, str, str, str]]:
    """(schema, name, type, format) of every table and view of `schema` (default: all schemas).
    One SHOW TABLE EXTENDED per schema: the metastore's own description of each table, without
    opening any Iceberg metadata."""
    schemas = [schema] if schema else [r[0] for r in spark.sql("show schemas").collect()]
    found = []
    for name in schemas:
        for row in spark.sql(f"show table extended in {name} like '*'").collect():
            info = row["information"]
            kind = "view" if re.search(r"^Type: VIEW$", info, re.M) else "table"
            table_type = re.search(r"\btable_type=([\w-]+)", info)
            provider = re.search(r"^Provider: (\S+)$", info, re.M)
            if table_type and table_type.group(1).upper().startswith("ICEBERG"):
                fmt = "iceberg"
            elif kind == "view":
                fmt = ""
            else:
                fmt = provider.group(1) if provider else ""
            found.append((row["namespace"], row["tableName"], kind, fmt))
    return found


def wait(future: Future) -> str:
    """The worker's result; Ctrl-C raises KeyboardInterrupt. While a statement runs, the
    terminal hands Ctrl-C to the shell as a character instead of sending SIGINT to the whole
    process group: under `make sql`, make would take SIGINT as its own end and, once the shell
    quits, fail with it. (Input typed meanwhile is dropped; psql keeps it, we do not.)"""
    fd = sys.stdin.fileno()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:  # not a terminal: SIGINT it is
        return future.result()
    quiet = [*saved[:6], list(saved[6])]
    quiet[3] &= ~(termios.ISIG | termios.ICANON | termios.ECHO)
    interrupt = saved[6][termios.VINTR]  # Ctrl-C, unless `stty intr` says otherwise
    interrupt = interrupt if isinstance(interrupt, bytes) else bytes([interrupt])
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        while not future.done():
            readable, _, _ = select.select([fd], [], [], 0.1)
            if readable and interrupt in os.read(fd, 1024):
                raise KeyboardInterrupt
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    return future.result()


class Shell:
    def __init__(self, spark, home: Path):
        self.spark = spark
        self.home = home
        self.limit = formats.DEFAULT_LIMIT
        self.timing = True
        # one worker: its JVM thread holds the job group (PySpark pins a Python thread to one)
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="sql-shell")
        self.groups = itertools.count(1)

    # --- running ---------------------------------------------------------------------------

    def aligned(self, fields, rows) -> str:
        out = io.StringIO()
        formats.aligned(fields, rows, out, self.limit)
        return out.getvalue()

    def run(self, work: Callable[[], str], timed: bool = False) -> None:
        """Runs `work` (which returns the text to show) on the worker; Ctrl-C cancels it."""
        group = f"sql-shell-{next(self.groups)}"
        context = self.spark.sparkContext

        def job() -> str:
            context.setJobGroup(group, "make sql shell", interruptOnCancel=True)
            return work()

        started = time.monotonic()
        future = self.worker.submit(job)
        try:
            text = wait(future)
        except KeyboardInterrupt:
            self._cancel(group, future)
            print("cancelled")
            return
        except Exception as error:  # one line, and the shell goes on
            print(f"error: {error_line(error)}")
            return
        sys.stdout.write(text)
        if timed and self.timing:
            print(f"Time: {time.monotonic() - started:.3f} s")

    def _cancel(self, group: str, future: Future) -> None:
        """Cancels the group's jobs until the worker is done: a statement fails as soon as its
        job is cancelled, but one still being planned starts its job after the first cancel
        (Spark 3.5 does not refuse new jobs of a cancelled group)."""
        while True:
            try:
                self.spark.sparkContext.cancelJobGroup(group)
                future.exception(timeout=1)  # what the cancelled statement raised is no news
                return
            except (TimeoutError, KeyboardInterrupt):
                continue

    def statement(self, text: str) -> None:
        def work() -> str:
            df = self.spark.sql(text)
            return self.aligned(df.schema.fields, df.toLocalIterator())

        self.run(work, timed=True)

    # --- meta-commands ---------------------------------------------------------------------

    def meta(self, line: str) -> bool:
        """Runs a backslash command; False when it asks to leave."""
        command, _, argument = line.rstrip(";").strip().partition(" ")
        argument = argument.strip()
        if command == "\\q":
            return False
        if command == "\\?":
            print(self.help(), end="")
        elif command == "\\dn":
            self.run(lambda: self.sql_table("show schemas"))
        elif command in ("\\dt", "\\d") and not (command == "\\d" and argument):
            self.run(lambda: self.tables(argument or None))
        elif command == "\\d":
            self.run(lambda: self.sql_table(f"describe table {argument}"))
        elif command == "\\timing":
            self.timing = {"on": True, "off": False}.get(argument.lower(), not self.timing)
            print(f"Timing is {'on' if self.timing else 'off'}.")
        elif command == "\\limit":
            if argument:
                if not argument.isdigit() or int(argument) < 1:
                    print("error: \\limit takes a number of rows, e.g. \\limit 100")
                    return True
                self.limit = int(argument)
            print(f"Results show up to {self.limit} rows.")
        else:
            print(f"error: unknown command {command}: \\? lists the commands")
        return True

    def sql_table(self, statement: str) -> str:
        df = self.spark.sql(statement)
        return self.aligned(df.schema.fields, df.toLocalIterator())

    def tables(self, schema: str | None) -> str:
        from pyspark.sql.types import StringType, StructField

        fields = [StructField(n, StringType()) for n in ("schema", "name", "type", "format")]
        return self.aligned(fields, iter(table_rows(self.spark, schema)))

    def help(self) -> str:
        return HELP.format(
            timing="on" if self.timing else "off",
            limit=self.limit,
            history=self.home / HISTORY,
            log=self.home / LOG,
        )

    # --- the loop --------------------------------------------------------------------------

    def handle(self, text: str) -> bool:
        """Runs one input; False when it asks to leave."""
        stripped = text.strip()
        if not stripped:
            return True
        if stripped.startswith("\\"):
            return self.meta(stripped)
        if stripped.rstrip(";").strip().lower() in ("exit", "quit"):
            return False
        for statement in statements.split_statements(text):
            self.statement(statement)
        return True

    def loop(self, session) -> None:
        while True:
            try:
                text = session.prompt(PROMPT)
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt: the line is cleared
            except EOFError:
                return  # Ctrl-D
            try:
                if not self.handle(text):
                    return
            except KeyboardInterrupt:
                print("cancelled")  # Ctrl-C between two statements of one input


def prompt_session(history: Path):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event) -> None:
        buffer = event.current_buffer
        if ready(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return PromptSession(
        history=FileHistory(str(history)),
        multiline=True,  # Enter is ours: it runs a complete input, else starts a new line
        key_bindings=bindings,
        prompt_continuation=lambda width, line_number, soft_wrap: CONTINUATION.rjust(width),
    )


def stop(spark) -> None:
    """Stops Spark and waits for its JVM to exit, so that none outlives the shell."""
    jvm = getattr(spark.sparkContext._gateway, "proc", None)  # PySpark's Popen of the JVM
    spark.stop()
    if jvm is None:
        return
    jvm.stdin.close()  # the JVM exits when its stdin closes (PySpark's contract)
    try:
        jvm.wait(timeout=60)
    except subprocess.TimeoutExpired:
        jvm.kill()
        jvm.wait()


def main() -> int:
    from lakehouse_jobs.paths import lakehouse_dir

    home = lakehouse_dir()
    home.mkdir(parents=True, exist_ok=True)
    print(f"Starting Spark on the lakehouse in {home} ...", flush=True)
    try:
        spark = open_spark("sql-shell", spark_conf(home))
    except Exception as error:
        print(f"error: {error_line(error)}", file=sys.stderr)
        return 1
    shell = Shell(spark, home)
    print(
        f"SQL on the lakehouse in {home} (Spark {spark.version}, Iceberg).\n"
        "End statements with ;  \\? for help, \\q to quit."
    )
    try:
        shell.loop(prompt_session(home / HISTORY))
    finally:
        shell.worker.shutdown(wait=False, cancel_futures=True)
        stop(spark)
    return 0
