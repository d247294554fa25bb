"""Source freshness in the gate (lakehouse.gate): real `dbt source freshness` on the shared
lakehouse. Just ingested, every source is fresh; a source older than its own `warn_after` is
reported and one older than its `error_after` stops the gate before anything is built. The
gate's run log (lakehouse.local.gate_log) holds each source's freshness and lag. The stale
sources are a copy of the project whose erp source reads `_ingested_at` days back, so the
shared lakehouse's data are never changed (its gate run log grows, by design)."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from checkout import ROOT, copy_dbt_project
from lakehouse_jobs.lifecycle import append_log
from test_write_audit_publish import published

from lakehouse import gate, run_log
from lakehouse.local import gate_log

pytestmark = pytest.mark.integration

ERP_SOURCES = "models/sales/staging/erp/_erp__sources.yml"
SOURCES = {"crm.customer", "geo.nation", "geo.region", "erp.orders", "erp.lineitem"}
SOURCES |= {"scm.part", "scm.partsupp", "scm.supplier"}


def project_with_erp_loaded_days_ago(tmp_path, days: int):
    project = copy_dbt_project(tmp_path / "project")
    sources = project / ERP_SOURCES
    text = sources.read_text()
    assert "    loaded_at_field: _ingested_at\n" in text
    sources.write_text(
        text.replace(
            "    loaded_at_field: _ingested_at\n",
            f'    loaded_at_field: "_ingested_at - interval {days} days"\n',
        )
    )
    return project


def freshness(runner, select: str = "path:models/*") -> dict[str, tuple[str, object]]:
    checked = runner("source", "freshness", "--select", select)
    return {
        f"{r.node.source_name}.{r.node.name}": (str(r.status), r.max_loaded_at)
        for r in checked.result
        if r.node.resource_type == "source"
    }


def gate_runs(lakehouse, where: str) -> list[dict]:
    columns = "run_id, project, stage, status, started_at, ended_at, tests_failed, stale_sources, "
    columns += "source, freshness_status, freshness_lag_seconds, max_loaded_at, nodes"
    found = lakehouse.spark.sql(f"select {columns} from {gate_log.table()} where {where}")
    return [row.asDict() for row in found.collect()]


def test_just_ingested_every_source_is_fresh_and_read_from_raw(lakehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    found = freshness(gate.dbt_runner(str(ROOT)))
    assert set(found) == SOURCES
    assert {status for status, _ in found.values()} == {"pass"}
    [(newest,)] = lakehouse.rows("select max(_ingested_at) from cmr_raw.sales__orders")
    assert found["erp.orders"][1].replace(tzinfo=None) == newest  # the session's time zone is UTC


def test_a_source_past_warn_after_is_reported(lakehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    runner = gate.dbt_runner(str(project_with_erp_loaded_days_ago(tmp_path, 3)))
    checked = runner("source", "freshness", "--select", "path:models/sales")
    assert checked.success, "a warning does not fail"
    sources = [r for r in checked.result if r.node.resource_type == "source"]
    statuses = {f"{r.node.source_name}.{r.node.name}": str(r.status) for r in sources}
    assert statuses == {"erp.orders": "warn", "erp.lineitem": "warn"}
    report = gate.freshness_report(sources)
    assert report[0] == "gate: freshness: 0 of 2 sources fresh"
    assert report[1].startswith("  freshness WARN: source erp.")
    assert "(warn after 2 day;" in report[1]


def test_a_source_past_error_after_stops_the_gate_before_the_build(
    lakehouse, tmp_path, monkeypatch
):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    runner = gate.dbt_runner(str(project_with_erp_loaded_days_ago(tmp_path, 8)))
    before = published(lakehouse.spark)
    outcome = gate.run(runner, project="sales")
    assert not outcome.success and not outcome.published
    assert outcome.result == [], "nothing was built"
    assert {str(r.status) for r in outcome.freshness} == {"error"}
    assert published(lakehouse.spark) == before
    report = gate.report(outcome, "project sales")
    assert report[-1].startswith("gate: project sales: FAILED before the build, nothing built")
    assert any(
        "freshness ERROR: source erp.orders last loaded 8.0 days ago" in line for line in report
    )
    # what `make gate` keeps of such a run: its stale sources, each with its lag
    log = run_log.record(outcome, "sales", "all")
    gate_log.append(lakehouse.spark, log)
    rows = gate_runs(lakehouse, f"run_id = '{log['run_id']}'")
    assert {(r["project"], r["status"], r["stale_sources"]) for r in rows} == {
        ("sales", "failed", 2)
    }
    assert {r["source"]: r["freshness_status"] for r in rows} == {
        "erp.orders": "error",
        "erp.lineitem": "error",
    }
    for r in rows:
        lag = timedelta(seconds=r["freshness_lag_seconds"])
        assert timedelta(days=8) <= lag < timedelta(days=8, hours=1)


def test_make_runs_gate_logged_every_sources_freshness_and_lag(lakehouse):
    """The shared lakehouse's own build: `make run`'s gate, of the whole domain."""
    first = gate_runs(lakehouse, "project is null order by started_at limit 1")[0]["run_id"]
    rows = gate_runs(lakehouse, f"run_id = '{first}'")
    assert {r["source"] for r in rows} == SOURCES
    assert {(r["stage"], r["status"], r["tests_failed"], r["stale_sources"]) for r in rows} == {
        ("all", "published", 0, 0)
    }
    nodes = rows[0]["nodes"]  # every node of the build, by status: none failed
    assert sum(nodes.values()) > 100 and not set(nodes) & set(gate.FAILED), nodes
    for r in rows:
        assert r["freshness_status"] == "pass"
        # dbt's age: when it checked (during the run) minus the newest _ingested_at
        lag = timedelta(seconds=r["freshness_lag_seconds"])
        assert r["started_at"] - r["max_loaded_at"] <= lag <= r["ended_at"] - r["max_loaded_at"]
    # the newest orders then were those of the last job run that loaded orders before the gate
    # (the raw rows themselves may have been replaced since, by later tests' reruns)
    orders = next(r for r in rows if r["source"] == "erp.orders")
    [(loaded_from, loaded_to)] = lakehouse.rows(
        "select max_by(started_at, ended_at), max(ended_at) from cmr_raw.sales___ingestion_runs"
        f" where table_name like '%sales__orders' and ended_at <= timestamp'{orders['started_at']}'"
    )
    assert loaded_from <= orders["max_loaded_at"] <= loaded_to


def test_a_run_log_made_before_a_column_existed_gets_it_and_older_rows_read_null(
    lakehouse, tmp_path
):
    """A lakehouse whose gate run log an earlier version made, without `failed_nodes`."""
    spark = lakehouse.spark
    database = f"itest_{uuid.uuid4().hex[:8]}"
    table = f"{database}.{gate_log.TABLE_NAME}"
    test = SimpleNamespace(unique_id="test.lakehouse.t", resource_type="test")
    now = datetime.now(UTC)
    failed = gate.GateResult(False, [SimpleNamespace(node=test, status="fail")], started_at=now)
    failed.ended_at = now
    log = run_log.record(failed, "sales", "all")
    earlier = [row[:-1] for row in gate_log.rows(log)]  # failed_nodes is the last column
    try:
        append_log(spark, table, str(tmp_path), gate_log.COLUMNS[:-1], earlier)
        append_log(spark, table, str(tmp_path), gate_log.COLUMNS, gate_log.rows(log))
        found = lakehouse.rows(f"select status, tests_failed, failed_nodes from {table}")
        assert sorted(found, key=str) == [("failed", 1, None), ("failed", 1, ["test.lakehouse.t"])]
    finally:
        spark.sql(f"drop database if exists {database} cascade")
