"""`make run` killed (SIGKILL) in the middle of `dbt build` leaves every Iceberg table at a
committed snapshot, and the next run converges to the result of an uninterrupted one.

The build runs in a process of its own on a temporary LAKEHOUSE_DIR (embedded Derby admits one
JVM per lakehouse), over a copy of the shared lakehouse's raw tables; the uninterrupted result
it must converge to is the shared lakehouse's.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lakehouse_state import fingerprints

from lakehouse import environment
from lakehouse.local import jars

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
RAW_TABLES = (
    "sales__orders",
    "sales__lineitem",
    "customers__customer",
    "customers__nation",
    "customers__region",
    "supply__supplier",
    "supply__part",
    "supply__partsupp",
)
# Killed once a curated table is being written: refined is done, curated half-built.
KILL_WHEN = "START sql table model cmr_curated."
KILL_AFTER_SECONDS = 2


def export_raw(spark, folder: Path) -> None:
    for name in RAW_TABLES:
        spark.table(f"cmr_raw.{name}").write.parquet(str(folder / f"cmr_raw.{name}"))


def isolated_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        **environment.dbt_environment(home),
        "LAKEHOUSE_DRIVER_MEMORY": "1g",
        "PYTHONPATH": str(HERE),
        "PYTHONUNBUFFERED": "1",  # dbt's log lines reach the test as they happen
    }


def build_until_killed(env, export: Path, log: Path) -> str:
    """Starts the build; SIGKILLs its whole process group (Python and the JVM) mid-build."""
    with log.open("w") as out:
        run = subprocess.Popen(
            [sys.executable, str(HERE / "isolated_build.py"), "load", str(export)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            for line in run.stdout:
                out.write(line)
                if KILL_WHEN in line:
                    time.sleep(KILL_AFTER_SECONDS)
                    os.killpg(run.pid, signal.SIGKILL)
                    return line.strip()
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    pytest.fail(f"the build ended before a curated table started; see {log}")


def test_a_killed_build_leaves_committed_tables_and_the_next_run_converges(lakehouse, tmp_path):
    uninterrupted = fingerprints(lakehouse.spark, "curated")
    export, home = tmp_path / "raw-export", tmp_path / "lakehouse"
    export_raw(lakehouse.spark, export)
    jars.ensure_jars(home)
    env = isolated_env(home)

    killed_at = build_until_killed(env, export, tmp_path / "killed-build.log")
    assert KILL_WHEN in killed_at

    result_file = tmp_path / "rerun.json"
    rerun = subprocess.run(
        [sys.executable, str(HERE / "isolated_build.py"), "check", str(result_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    result = json.loads(result_file.read_text())
    checked = result["checked"]
    assert {"cmr_refined.orders", "cmr_refined.lineitems"} <= set(checked)
    assert all(state["snapshot"] is not None for state in checked.values()), checked
    assert result["build_success"]
    assert {t: tuple(v) for t, v in result["curated"].items()} == uninterrupted
