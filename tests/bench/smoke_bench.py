"""`make bench`'s smoke run, started once when the test session starts: the bench's processes
(the floor and two lakehouses, one JVM each) then overlap the rest of the suite, which spends
most of its time waiting on one JVM; the bench tests run last and wait for its report."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from checkout import ROOT

SF = "0.01"
SMALL_HISTORY = 0.5
TIMEOUT_S = 2400  # ~4 min alone on a quiet 2-core machine; far longer beside the suite


class SmokeBench:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lakehouse-bench-test-"))
        self.work, self.out = self.folder / "work", self.folder / "results"
        self.log = self.folder / "bench.log"
        env = {
            **os.environ,
            "LAKEHOUSE_DRIVER_MEMORY": "1g",
            "LAKEHOUSE_DIR": str(self.work / "unused"),
        }
        command = [
            sys.executable, "-m", "lakehouse.bench", "--sf", SF,
            "--small-history", str(SMALL_HISTORY), "--work-dir", str(self.work),
            "--out-dir", str(self.out),
            "--skip-dbt-tests",  # the smoke test proves the bench works, fast; reports keep them
        ]  # fmt: skip
        with self.log.open("w") as log:
            # its own session: the bench's children (and their JVMs) stop with it
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                start_new_session=True,
            )  # fmt: skip

    def result(self) -> tuple[subprocess.CompletedProcess, dict, Path, Path]:
        """(the finished run, its report, the report's path, the work folder)."""
        try:
            self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.stop()
        output = self.log.read_text()
        reports = sorted(self.out.glob("bench-sf*.json"))
        assert reports, f"no report (exit {self.process.returncode}):\n{output[-8000:]}"
        done = subprocess.CompletedProcess(self.process.args, self.process.returncode, output)
        return done, json.loads(reports[0].read_text()), reports[0], self.work

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def remove(self) -> None:
        """Stops the run, then its lakehouses' metastore servers (each in a session of its own,
        which outlives the run until idle), then deletes the folder."""
        from lakehouse.local import metastore

        self.stop()
        for server in self.work.glob("*/metastore_server"):
            metastore.stop(server.parent)
        shutil.rmtree(self.folder, ignore_errors=True)
