"""A job SIGKILLed mid-write leaves the raw table as it was; the re-run converges.

Runs in separate processes on a lakehouse of its own, so that the kills leave the shared one
as it was."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

DRIVER = """
import json, sys, uuid
from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import contract_for
from lakehouse_jobs.file_job import ingest_file
from lakehouse_jobs.spark import get_spark

spark = get_spark("kill-test")
spark.sparkContext.setLogLevel("ERROR")

def counts():
    if not spark.catalog.tableExists("cmr_raw.sales__orders"):
        return None
    raw = spark.sql("select count(*), count(distinct o_orderkey) from cmr_raw.sales__orders")
    raw = raw.first()
    return [raw[0], raw[1]]

before = counts()
ingest_file(spark, contract_for("erp", "orders"), "2024-01-01", Config(), uuid.uuid4().hex)
print(json.dumps({"before": before, "after": counts()}))
"""


def land(home: Path, lines: list[str]) -> None:
    target = home / "landing" / "sales" / "erp" / "2024-01-01" / "orders.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n")


def start(home: Path) -> subprocess.Popen:
    env = {**os.environ, "LAKEHOUSE_DIR": str(home), "LAKEHOUSE_DRIVER_MEMORY": "1g"}
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER],
        env=env,
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0
    return json.loads(out.strip().splitlines()[-1])


def test_sigkill_mid_write_leaves_the_old_batch_and_a_rerun_converges(lakehouse, tmp_path):
    from lakehouse.local import jars

    home = tmp_path / "lakehouse"
    jars.ensure_jars(home)
    orders = (lakehouse.generated / "orders.csv").read_text().splitlines()
    land(home, orders[:5001])
    assert finish(start(home))["after"] == [5000, 5000]

    land(home, orders)  # the batch re-delivered, bigger
    job = start(home)
    batch = home / "warehouse" / "raw" / "sales" / "sales__orders" / "_batch_id=2024-01-01"
    deadline = time.monotonic() + 300
    while not any(batch.glob("_run=*/_temporary")) and job.poll() is None:
        assert time.monotonic() < deadline, "the write never started"
        time.sleep(0.02)
    os.killpg(job.pid, signal.SIGKILL)  # the job and its JVM, mid-write
    job.wait()
    assert job.returncode == -signal.SIGKILL
    assert len(list(batch.glob("_run=*"))) == 2  # the half-written folder is there...

    rerun = finish(start(home))
    assert rerun["before"] == [5000, 5000]  # ...but the table still read the old batch only
    assert rerun["after"] == [len(orders) - 1, len(orders) - 1]
    assert len(list(batch.glob("_run=*"))) == 1  # superseded and abandoned folders are gone
