"""`make parity` in the test suite: the whole project through the unmodified dbt-glue adapter on
glue-local (its own process and lakehouse folder) equals the shared lakehouse's `local` build."""

import json
import os

import pytest

from lakehouse import parity

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def gate(lakehouse, tmp_path_factory):
    manifest = lakehouse.target / "manifest.json"
    relations = sorted(set(parity.manifest_relations(manifest).values()))
    reference = parity.table_fingerprints(lakehouse.spark, relations)
    home = tmp_path_factory.mktemp("glue-parity")
    ddl = parity.source_ddl(lakehouse.spark, parity.source_tables(manifest))
    report = parity.glue_side(home, lakehouse.home, ddl, manifest)
    return {"home": home, "reference": reference, "report": report, "relations": relations}


def test_every_dbt_node_passes_on_both_dbt_glue_runs_and_docs_list_every_model(gate):
    assert gate["report"]["failures"] == [], (gate["home"] / "dbt.log").read_text()[-4000:]


def test_every_table_equals_the_local_build(gate):
    assert len(gate["relations"]) >= 5  # the sales slice at least: staging, refined, curated
    assert parity.compare(gate["reference"], gate["report"]["fingerprints"]) == []


def test_the_docs_catalog_describes_every_schema_with_columns(gate):
    catalog = json.loads((gate["home"] / "dbt-target" / "catalog.json").read_text())["nodes"]
    schemas = {node["metadata"]["schema"] for node in catalog.values()}
    assert {"cmr_staging", "cmr_refined", "cmr_curated"} <= schemas
    assert all(node["columns"] for node in catalog.values())


def test_glue_local_stopped_and_left_no_process_behind(gate):
    with pytest.raises(ProcessLookupError):
        os.killpg(gate["report"]["server_pid"], 0)
