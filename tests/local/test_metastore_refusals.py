"""The start-up failures a user can cause are refused in one line that says what to do, before
any server starts: Java missing, the port taken, the disk full, the metastore held by an
embedded Derby of an older checkout (docs/local-lakehouse.md)."""

import os
import shutil
import socket
import subprocess
import sys
from collections import namedtuple

import pytest
from checkout import ROOT

from lakehouse.local import jars, metastore

HOLD_DB_LOCK = """
import fcntl, sys, time
with open(sys.argv[1], "rb+") as lock:
    fcntl.lockf(lock, fcntl.LOCK_EX)  # what an embedded Derby holds while the database is open
    print("held", flush=True)
    time.sleep(120)
"""


def no_server_started(home) -> bool:
    return not (home / "metastore_server" / "server.json").exists()


def test_java_missing_is_one_line_from_the_metastore_and_from_make_sql(tmp_path):
    for jar in jars.jar_paths(tmp_path):  # present, as after `make setup`: Java is what lacks
        jar.parent.mkdir(parents=True, exist_ok=True)
        jar.write_bytes(b"")
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "LAKEHOUSE_DIR": str(tmp_path)}
    expected = "error: Java is not on PATH: install Java 17 (openjdk-17-jre-headless)\n"
    for module, args, code in [
        ("lakehouse.local.metastore", ["ensure"], 2),
        ("lakehouse.local.sql", ["--query", "select 1"], 1),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (result.returncode, result.stderr) == (code, expected), module
    assert no_server_started(tmp_path)


def test_a_taken_port_names_its_holder(tmp_path, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("LAKEHOUSE_METASTORE_PORT", str(port))
        with pytest.raises(metastore.Refusal) as refused:
            metastore.ensure(tmp_path)
    assert str(refused.value).startswith(
        f"port {port}, the metastore port of {tmp_path}, is used by pid {os.getpid()} ("
    )
    assert str(refused.value).endswith("stop it, or set LAKEHOUSE_METASTORE_PORT to a free port")
    assert no_server_started(tmp_path)


def test_a_full_disk_is_refused_with_the_space_left(tmp_path, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(2**40, 2**40, 100 * 2**20))
    with pytest.raises(metastore.Refusal) as refused:
        metastore.ensure(tmp_path)
    assert str(refused.value) == (
        f"only 100 MiB free where the lakehouse is ({tmp_path}): the metastore needs 512 MiB; "
        "free some space and retry"
    )
    assert no_server_started(tmp_path)


def test_a_metastore_open_in_an_embedded_derby_names_the_process(tmp_path):
    (tmp_path / "metastore_db").mkdir()
    lock = tmp_path / "metastore_db" / "db.lck"
    lock.write_bytes(b"")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DB_LOCK, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(metastore.Refusal) as refused:
            metastore.ensure(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert str(refused.value).startswith(
        f"the metastore of {tmp_path} is open in pid {holder.pid} ({sys.executable} -c"
    )
    assert str(refused.value).endswith("let it finish or stop it, then retry")
    assert no_server_started(tmp_path)
