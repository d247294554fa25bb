"""Source freshness in the gate (lakehouse.gate): real `dbt source freshness` on the shared
lakehouse. Just ingested, every source is fresh; a source older than its own `warn_after` is
reported and one older than its `error_after` stops the gate before anything is built. The
stale sources are a copy of the project whose erp source reads `_ingested_at` days back, so
the shared lakehouse is never changed."""

import pytest
from checkout import ROOT, copy_dbt_project
from test_write_audit_publish import published

from lakehouse import gate

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
