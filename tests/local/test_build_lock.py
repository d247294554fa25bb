"""One build at a time per lakehouse: a second `make run` or `make dbt` is refused in one line
naming the holder, and a killed holder leaves no stale lock. No Spark starts: the refusal
comes first."""

import os
import signal
import subprocess
import sys

import pytest
from checkout import ROOT

from lakehouse.local import build_lock
from lakehouse.local.metastore import Refusal

HOLD = """
import sys, time
from pathlib import Path
from lakehouse.local import build_lock
with build_lock.held(Path(sys.argv[1]), "make run"):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder(tmp_path):
    """A process holding tmp_path's build lock, as `make run` does."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "held\n"
    yield process
    process.kill()
    process.wait()


def run_module(module: str, home, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAKEHOUSE_DIR": str(home)}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("lakehouse.local.pipeline", ()),
        ("lakehouse.local.dbt", ("ls",)),
        ("lakehouse.local.gate", ()),
    ],
)
def test_a_second_build_is_refused_in_one_line_naming_the_holder(holder, tmp_path, module, args):
    result = run_module(module, tmp_path, *args)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {tmp_path} is being built by pid {holder.pid} (make run): wait for it to end "
        "(or stop it), then run again; `make sql` can query it meanwhile\n"
    )
    assert not (tmp_path / "tpch").exists()  # refused before any work


def test_a_killed_holder_leaves_no_stale_lock(holder, tmp_path):
    with pytest.raises(Refusal, match=f"pid {holder.pid}"), build_lock.held(tmp_path, "make"):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with build_lock.held(tmp_path, "make dbt build"):
        assert (tmp_path / "build.lock").read_text() == f"pid {os.getpid()} (make dbt build)\n"
    assert (tmp_path / "build.lock").read_text() == ""


def test_make_dbt_needs_a_command_and_keeps_the_local_target(tmp_path):
    assert run_module("lakehouse.local.dbt", tmp_path).returncode == 2
    other = run_module("lakehouse.local.dbt", tmp_path, "build", "--target", "dev")
    assert other.returncode == 2
    assert other.stderr == (
        "error: make dbt runs the local target; for another: .venv/bin/dbt ... --target dev\n"
    )


def test_make_gate_keeps_the_local_target(tmp_path):
    other = run_module("lakehouse.local.gate", tmp_path, "--target", "dev")
    assert other.returncode == 2
    assert other.stderr == (
        "error: make gate runs the local target; for another: "
        ".venv/bin/python -m lakehouse.gate --target dev ...\n"
    )
