"""`make sql` as people use it: the interactive shell through a pseudo-terminal (pexpect), and
the script modes' stdin and --format.

The shell tests share ONE session (a JVM start costs ~20 s on CI's 2 cores), in order, on a
lakehouse of their own: the shared one's metastore belongs to this test process."""

import io
import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest
from checkout import ROOT

from lakehouse import environment
from lakehouse.local import jars, sql

pytestmark = pytest.mark.integration

# prompt_toolkit turns bracketed paste on when a prompt starts and off when its input is
# accepted: what the shell prints for an input lies between the two.
INPUT_ACCEPTED = "\x1b[?2004l"
PROMPT_STARTED = "\x1b[?2004h"
ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[=>])")
LONG = "select count(*) from range(100000000) a cross join range(100000) b;"  # hours


def screen(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


class Session:
    def __init__(self, home: Path):
        self.home = home
        env = {
            **os.environ,
            **environment.dbt_environment(home),
            "LAKEHOUSE_DRIVER_MEMORY": "1g",
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect answers no cursor position requests
        }
        started = time.monotonic()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "lakehouse.local.sql"],
            env=env,
            cwd=str(ROOT),
            encoding="utf-8",
            dimensions=(50, 200),
            timeout=180,
        )
        self.child.expect_exact(PROMPT_STARTED)
        self.banner = screen(self.child.before)
        self.start_seconds = time.monotonic() - started
        self.child.expect_exact("lakehouse>")

    def run(self, text: str, timeout: float = 180) -> str:
        """Types `text` and Enter; what the shell printed before its next prompt."""
        self.child.send(text + "\r")
        self.child.expect_exact(INPUT_ACCEPTED, timeout=timeout)
        self.child.expect_exact(PROMPT_STARTED, timeout=timeout)
        printed = screen(self.child.before)
        self.child.expect_exact("lakehouse>")
        return printed

    def processes(self) -> list[int]:
        """The shell's descendants in its session: its JVM and PySpark's workers (the
        lakehouse's metastore server runs in a session of its own, and outlives clients)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.child.pid:  # pexpect made the shell a session leader
                parents[int(stat.parent.name)] = int(fields[1])
        found, frontier = [], [self.child.pid]
        while frontier:
            parent = frontier.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent]
            found += children
            frontier += children
        return found


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    home = tmp_path_factory.mktemp("sql-shell")
    jars.ensure_jars(home)
    session = Session(home)
    yield session
    if session.child.isalive():
        session.child.terminate(force=True)


def test_the_banner_names_the_lakehouse_and_the_help(shell):
    assert str(shell.home) in shell.banner and "\\? for help" in shell.banner
    assert "WARN" not in shell.banner and "log4j" not in shell.banner.lower()
    print(f"shell start: {shell.start_seconds:.1f} s")


def test_a_multi_line_statement_runs_once_it_ends_with_a_semicolon(shell):
    assert shell.run("create schema demo_shell;").startswith("OK\n")
    printed = shell.run(
        "create table demo_shell.orders (\r"
        "  id int,\r"
        "  customer string,  -- who ordered; a ; in a comment does not end it\r"
        "  amount decimal(10,2),\r"
        "  placed date\r"
        ") using iceberg;"
    )
    assert printed.startswith("OK\n"), printed
    inserted = shell.run(
        "insert into demo_shell.orders values (1, 'ann', 12.50, date'2024-01-31'),\r"
        "  (2, null, 3.00, null), (10, 'bob | \"b\"', null, date'2024-02-01');"
    )
    assert inserted.startswith("OK\n"), inserted


def test_a_select_prints_an_aligned_table(shell):
    printed = shell.run("select * from demo_shell.orders order by id;")
    table, timing = printed.rsplit("(3 rows)\n", 1)
    assert table == (
        "id | customer  | amount | placed\n"
        "---+-----------+--------+-----------\n"
        " 1 | ann       |  12.50 | 2024-01-31\n"
        " 2 | NULL      |   3.00 | NULL\n"
        '10 | bob | "b" |   NULL | 2024-02-01\n'
    )
    assert re.fullmatch(r"Time: \d+\.\d{3} s\n", timing), timing


def test_meta_commands_list_schemas_tables_and_columns(shell):
    schemas = shell.run("\\dn").splitlines()
    assert schemas[0] == "namespace" and "demo_shell" in schemas and "default" in schemas
    assert shell.run("\\dt demo_shell") == (
        "schema     | name   | type  | format\n"
        "-----------+--------+-------+--------\n"
        "demo_shell | orders | table | iceberg\n"
        "(1 row)\n"
    )
    columns = [line.split(" | ")[:2] for line in shell.run("\\d demo_shell.orders").splitlines()]
    assert [c.strip() for c in columns[0]] == ["col_name", "data_type"]
    assert [[c.strip() for c in column] for column in columns[2:6]] == [
        ["id", "int"],
        ["customer", "string"],
        ["amount", "decimal(10,2)"],
        ["placed", "date"],
    ]
    assert "\\dt [schema]" in shell.run("\\?")


def test_timing_toggles_and_limit_caps_the_rows_shown(shell):
    assert shell.run("\\timing") == "Timing is off.\n"
    assert shell.run("select 1 as one;") == "one\n---\n  1\n(1 row)\n"
    assert shell.run("\\timing on") == "Timing is on.\n"
    assert shell.run("\\limit 2") == "Results show up to 2 rows.\n"
    printed = shell.run("select id from range(5);")
    assert printed.startswith("id\n--\n 0\n 1\n(first 2 rows shown: the result has more)\nTime: ")
    assert shell.run("\\limit 1000") == "Results show up to 1000 rows.\n"


def test_an_error_is_one_line_and_the_shell_goes_on(shell):
    printed = shell.run("select * from demo_shell.no_such_table;")
    assert len(printed.splitlines()) == 1, printed
    assert printed.startswith("error: [TABLE_OR_VIEW_NOT_FOUND]") and "no_such_table" in printed
    assert shell.run("selec 1;").startswith("error: [PARSE_SYNTAX_ERROR]")
    assert shell.run("select count(*) as n from demo_shell.orders;").startswith("n\n-\n3\n")


def test_ctrl_c_cancels_a_running_statement(shell):
    shell.child.send(LONG + "\r")
    shell.child.expect_exact(INPUT_ACCEPTED)
    time.sleep(5)  # its job runs
    asked = time.monotonic()
    shell.child.sendintr()
    shell.child.expect_exact(PROMPT_STARTED, timeout=60)
    assert screen(shell.child.before) == "cancelled\n"
    assert time.monotonic() - asked < 30
    shell.child.expect_exact("lakehouse>")
    assert shell.run("select 'after' as state;").startswith("state\n-----\nafter\n(1 row)\n")


def test_the_history_is_kept_in_the_lakehouse(shell):
    history = (shell.home / "sql_history").read_text()
    assert "+create table demo_shell.orders (\n+  id int,\n" in history  # one entry, its lines
    assert "+\\dn\n" in history


def test_quit_leaves_with_status_0_and_no_process_behind(shell):
    spark = shell.processes()
    assert spark, "the shell's JVM"
    shell.child.send("\\q\r")
    shell.child.expect(pexpect.EOF, timeout=120)
    shell.child.close()
    assert shell.child.exitstatus == 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in spark):
        time.sleep(0.5)
    assert [pid for pid in spark if Path(f"/proc/{pid}").exists()] == []
    assert "WARN" not in screen(shell.child.before)
    assert (shell.home / "sql_shell.log").stat().st_size > 0  # Spark's log went there


# --- the script modes, in this process on the shared lakehouse ---------------------------------


def test_statements_on_stdin_print_each_result_aligned(lakehouse, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("select 1 as n;\n-- next\nselect 'a;b' as s\n"))
    assert sql.main([]) == 0
    assert capsys.readouterr().out == "n\n-\n1\n(1 row)\n\ns\n---\na;b\n(1 row)\n"


def test_a_failing_statement_on_stdin_is_one_error_line_and_status_1(
    lakehouse, monkeypatch, capsys
):
    monkeypatch.setattr(sys, "stdin", io.StringIO("select 1 as n; select * from cmr_raw.nope;"))
    assert sql.main(["--format", "psv"]) == 1
    out, err = capsys.readouterr()
    assert out == "n\n1\n"
    assert err.startswith("error: statement 2: [TABLE_OR_VIEW_NOT_FOUND]") and err.count("\n") == 1


def test_format_csv_and_json(lakehouse, capsys):
    query = (
        "select 1 as n, 'a,\"b\"' as s, cast(null as int) as z, 1.50bd as d, date'2024-01-31' as t"
    )
    assert sql.main(["--query", query, "--format", "csv"]) == 0
    assert capsys.readouterr().out == 'n,s,z,d,t\r\n1,"a,""b""",,1.50,2024-01-31\r\n'
    assert sql.main(["--query", query, "--format", "json"]) == 0
    assert capsys.readouterr().out == (
        '{"n": 1, "s": "a,\\"b\\"", "z": null, "d": "1.50", "t": "2024-01-31"}\n'
    )


def test_a_file_of_statements_in_a_format_gets_its_extension(lakehouse, tmp_path):
    (tmp_path / "q.sql").write_text("select 1 as n;\nselect 2 as m;\n")
    out = tmp_path / "out"
    assert sql.main(["-f", str(tmp_path / "q.sql"), "-o", str(out), "--format", "json"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["001.jsonl", "002.jsonl"]
    assert (out / "002.jsonl").read_text() == '{"m": 2}\n'
