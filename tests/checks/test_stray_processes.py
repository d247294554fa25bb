"""The CI check that no command leaves a process behind finds one by its working directory or
by a folder in its arguments, names it by pid, and passes once it is gone."""

import subprocess
import sys

import pytest

from lakehouse.checks import stray_processes

SLEEP = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def spawn():
    started = []

    def start(command, cwd):
        process = subprocess.Popen(command, cwd=cwd)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def test_a_process_working_under_the_folder_is_named_by_pid(spawn, tmp_path, capsys):
    process = spawn(SLEEP, cwd=tmp_path)
    assert stray_processes.main([str(tmp_path), "--grace", "0"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"stray process: pid {process.pid}: {' '.join(SLEEP)}"
    assert out[1] == f"1 process(es) outlived their command under {tmp_path}"


def test_a_folder_in_an_option_counts_and_a_gone_process_does_not(spawn, tmp_path, capsys):
    process = spawn([*SLEEP, f"-Dderby.system.home={tmp_path}/home"], cwd="/")
    assert [p.pid for p in stray_processes.stray_processes([tmp_path])] == [process.pid]
    process.kill()
    process.wait()
    assert stray_processes.main([str(tmp_path), "--grace", "0"]) == 0
    assert capsys.readouterr().out == ""


def test_this_process_and_its_ancestors_are_not_stray(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert stray_processes.stray_processes([tmp_path]) == []


def test_a_process_that_ends_within_the_grace_period_is_not_stray(spawn, tmp_path, capsys):
    spawn([sys.executable, "-c", "import time; time.sleep(2)"], cwd=tmp_path)
    assert stray_processes.main([str(tmp_path), "--grace", "30"]) == 0
    assert capsys.readouterr().out == ""
