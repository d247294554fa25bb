"""Iceberg's SQL works from the first statement of a fresh process: metadata tables, time
travel, branches and procedures are what a user reaches for after a bad build. (It failed
with "Failed to connect to Hive Metastore" until a plain read had run in the process.)"""

import os
import subprocess
import sys

import pytest

from lakehouse import environment
from lakehouse.local import jars

pytestmark = pytest.mark.integration

SETUP = """
create database history_demo;
create table history_demo.t (id int) using iceberg;
insert into history_demo.t values (1);
insert into history_demo.t values (2);
alter table history_demo.t create branch audit;
insert into history_demo.t.branch_audit values (3);
select snapshot_id as first from history_demo.t.history order by made_current_at limit 1;
"""


def sql(home, *args):
    return subprocess.run(
        [sys.executable, "-m", "lakehouse.local.sql", *args],
        env={**os.environ, **environment.dbt_environment(home)},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A lakehouse of its own (the shared one is held by this test process's metastore), and
    the table's first snapshot id."""
    home = tmp_path_factory.mktemp("iceberg-sql")
    jars.ensure_jars(home)
    (home / "setup.sql").write_text(SETUP)
    done = sql(home, "--file", str(home / "setup.sql"), "--out", str(home / "setup"))
    assert done.returncode == 0, done.stderr[-2000:]
    return home, (home / "setup" / "007.psv").read_text().splitlines()[1]


def first_statements(home, statements: list[str]) -> list[list[str]]:
    """Runs `statements` in one fresh process; each result's lines."""
    (home / "q.sql").write_text(";\n".join(statements) + ";\n")
    out = home / "q"
    done = sql(home, "--file", str(home / "q.sql"), "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    return [(out / f"{n:03d}.psv").read_text().splitlines() for n in range(1, len(statements) + 1)]


def test_metadata_tables_first(demo):
    home, _ = demo
    assert first_statements(home, [
        "select count(*) as n from history_demo.t.snapshots",
        "select count(*) as n from history_demo.t.history",
        "select name from history_demo.t.refs order by name",
        "select sum(record_count) as n from history_demo.t.files",
        "select sum(record_count) as n from history_demo.t.partitions",
    ]) == [["n", "3"], ["n", "2"], ["name", "audit", "main"], ["n", "2"], ["n", "2"]]  # fmt: skip


def test_time_travel_first(demo):
    home, first = demo
    assert first_statements(home, [
        f"select id from history_demo.t version as of {first}",
        "select count(*) as n from history_demo.t timestamp as of current_timestamp()",
    ]) == [["id", "1"], ["n", "2"]]  # fmt: skip


def test_branch_first(demo):
    home, _ = demo
    assert first_statements(home, ["select id from history_demo.t.branch_audit order by id"]) == [
        ["id", "1", "2", "3"]
    ]


def test_procedure_first_then_rollback(demo):
    home, first = demo
    ancestors, rollback, after = first_statements(home, [
        "call spark_catalog.system.ancestors_of('history_demo.t')",
        f"call spark_catalog.system.rollback_to_snapshot('history_demo.t', {first})",
        "select id from history_demo.t",
    ])  # fmt: skip
    assert ancestors[0] == "snapshot_id|timestamp" and len(ancestors) == 3
    assert rollback[0] == "previous_snapshot_id|current_snapshot_id"
    assert rollback[1].endswith(f"|{first}") and after == ["id", "1"]
