"""Several processes on one lakehouse at once, through its served metastore: a query from
another process while this one holds the lakehouse, and two writers that both commit."""

import os
import subprocess
import sys

import pytest
from checkout import ROOT

pytestmark = pytest.mark.integration


def sql_process(*args: str) -> subprocess.Popen:
    """`make sql` in a process of its own, on the shared lakehouse (its LAKEHOUSE_DIR)."""
    env = {**os.environ, "LAKEHOUSE_DRIVER_MEMORY": "1g"}
    return subprocess.Popen(
        [sys.executable, "-m", "lakehouse.local.sql", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_query_from_another_process_reads_the_lakehouse_this_one_holds(lakehouse):
    (expected,) = lakehouse.rows("select count(*) from cmr_refined.orders")[0]
    query = sql_process("--query", "select count(*) as orders from cmr_refined.orders")
    out, err = query.communicate(timeout=600)
    assert query.returncode == 0, err
    assert out == f"orders\n{expected}\n"
    assert err == ""  # Spark's start-up log went to the lakehouse's sql_shell.log


def test_two_writers_at_once_both_commit_every_insert(lakehouse, tmp_path):
    lakehouse.spark.sql(
        "create table cmr_raw.concurrency_probe (writer string, n int) using iceberg"
    )
    writers = []
    for writer in ("a", "b"):
        inserts = tmp_path / f"{writer}.sql"
        inserts.write_text(
            "".join(
                f"insert into cmr_raw.concurrency_probe values ('{writer}', {n});\n"
                for n in range(5)
            )
        )
        writers.append(sql_process("--file", str(inserts), "--out", str(tmp_path / writer)))
    for writer in writers:
        _, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err
    lakehouse.spark.sql("refresh table cmr_raw.concurrency_probe")
    rows = lakehouse.rows(
        "select writer, count(*), sum(n) from cmr_raw.concurrency_probe group by writer order by 1"
    )
    assert rows == [("a", 5, 10), ("b", 5, 10)]
    (snapshots,) = lakehouse.rows("select count(*) from cmr_raw.concurrency_probe.snapshots")[0]
    assert snapshots == 10  # one commit per insert, none lost
    lakehouse.spark.sql("drop table cmr_raw.concurrency_probe purge")


def test_a_small_query_runs_beside_a_big_one_instead_of_queueing_behind_it(lakehouse):
    """dbt's threads share the one Spark session: with the profile's FAIR scheduling, a small
    job started while a big one runs gets a core as soon as one frees, not after the big job's
    last task has started (FIFO, Spark's default)."""
    import threading

    spark = lakehouse.spark
    tracker = spark.sparkContext.statusTracker()
    tasks = 200  # each a few ms of CPU: the big job's tasks queue on the cores

    def big():
        spark.sparkContext.setJobGroup("big", "the big job")
        spark.range(0, 100_000_000, numPartitions=tasks).selectExpr("sum(id * id)").collect()

    worker = threading.Thread(target=big)
    worker.start()
    try:
        while not tracker.getJobIdsForGroup("big"):
            assert worker.is_alive(), "the big job ended before Spark listed it"
            worker.join(0.05)
        assert spark.range(10).count() == 10
        done = sum(
            info.numCompletedTasks
            for job in tracker.getJobIdsForGroup("big")
            for stage in tracker.getJobInfo(job).stageIds
            if (info := tracker.getStageInfo(stage)) is not None
        )
    finally:
        worker.join()
    assert done < tasks / 2, f"the small job waited for {done} of the big job's {tasks} tasks"
