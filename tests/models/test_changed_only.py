"""A build after a change of code builds and tests only what changed and what depends on it
(lakehouse.published_state: state:modified+), as a pull request's CI build does on its base
commit's lakehouse: the shared lakehouse, a copy of the project with one data product edited,
a published state of the unedited project."""

import json

import pytest
from checkout import copy_dbt_project
from lakehouse_state import current_snapshot, fingerprint

from lakehouse import gate
from lakehouse.published_state import PublishedState

pytestmark = pytest.mark.integration

CHANGED = "order_volume_by_month"
TABLE = f"cmr_curated.{CHANGED}"


def test_a_changed_data_product_is_all_a_build_rebuilds(lakehouse, tmp_path, monkeypatch):
    original = copy_dbt_project(tmp_path / "original")
    project = copy_dbt_project(tmp_path / "project")
    model = project / "models" / "sales" / "curated" / f"{CHANGED}.sql"
    model.write_text(
        model.read_text().replace("group by 1, 2", "group by order_month, order_status")
    )

    # what the unedited project published: its manifest, and the sources as they are now
    published = tmp_path / "state" / "domain" / "published"
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "original-target"))
    assert gate.dbt_runner(str(original))("parse").success
    assert gate.dbt_runner(str(original))("source", "freshness").success
    published.mkdir(parents=True)
    for name in ("manifest.json", "sources.json"):
        (published / name).write_bytes((tmp_path / "original-target" / name).read_bytes())

    before = current_snapshot(lakehouse.spark, TABLE), fingerprint(lakehouse.spark, TABLE)
    target = tmp_path / "target"
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    state = PublishedState(tmp_path / "state", "domain", target)
    build = gate.run(gate.dbt_runner(str(project)), state=state)
    assert build.success and build.published, gate.report(build)
    ran = {r.node.unique_id for r in build.result}
    assert {n for n in ran if n.startswith("model.")} == {f"model.lakehouse.{CHANGED}"}
    tests = {n for n in ran if n.startswith(("test.", "unit_test."))}
    assert tests and all(CHANGED in n for n in tests), tests
    # its code changed: every period rebuilt (a new snapshot), the same rows as before
    assert current_snapshot(lakehouse.spark, TABLE) != before[0]
    assert fingerprint(lakehouse.spark, TABLE) == before[1]
    # what it published is the edited project's manifest, for the next build to compare with
    manifest = json.loads((published / "manifest.json").read_text())
    assert "group by order_month" in manifest["nodes"][f"model.lakehouse.{CHANGED}"]["raw_code"]
