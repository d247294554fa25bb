"""The parity check's comparison: what counts as a difference (no Spark needed)."""

import json

from lakehouse.environment import fresh
from lakehouse.parity.fingerprints import compare, failed_nodes, manifest_relations, uncatalogued

TABLE = {
    "column_checksums": {"id": "1", "price": "2"},
    "kind": "iceberg",
    "columns": {"id": "bigint", "price": "decimal(10,2)"},
    "rows": 3,
    "checksum": "123",
}


def test_identical_fingerprints_are_parity():
    assert compare({"s.t": TABLE}, {"s.t": dict(TABLE)}) == []


def test_a_changed_checksum_a_type_a_kind_and_a_missing_table_are_each_reported():
    glue = {
        "s.rows": {**TABLE, "checksum": "999", "column_checksums": {"id": "1", "price": "3"}},
        "s.typed": {**TABLE, "columns": {"id": "bigint", "price": "double"}},
        "s.view": {**TABLE, "kind": "iceberg"},
    }
    local = {
        "s.rows": TABLE,
        "s.typed": TABLE,
        "s.view": {**TABLE, "kind": "view"},
        "s.gone": TABLE,
    }
    problems = compare(local, glue)
    assert problems == [
        "s.gone: missing on glue",
        "s.rows: rows differ: local 3 rows, glue 3 rows, in columns ['price']",
        "s.typed: columns differ (local, glue): {'price': ('decimal(10,2)', 'double')}",
        "s.view: a view on local, a iceberg on glue",
    ]


def test_relations_come_from_the_manifest_without_ephemerals_tests_or_sources(tmp_path):
    nodes = {
        "model.p.a": {
            "resource_type": "model",
            "schema": "s",
            "alias": "a",
            "config": {"materialized": "table"},
        },
        "model.p.e": {
            "resource_type": "model",
            "schema": "s",
            "alias": "e",
            "config": {"materialized": "ephemeral"},
        },
        "seed.p.c": {
            "resource_type": "seed",
            "schema": "r",
            "alias": "c",
            "config": {"materialized": "seed"},
        },
        "test.p.t": {
            "resource_type": "test",
            "schema": "s",
            "alias": "t",
            "config": {"materialized": "test"},
        },
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}))
    assert manifest_relations(manifest) == {"model.p.a": "s.a", "seed.p.c": "r.c"}
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"nodes": {"model.p.a": {}}}))
    assert uncatalogued(catalog, manifest) == ["seed.p.c"]


def test_failed_nodes_lists_everything_that_did_not_pass(tmp_path):
    results = [
        {"unique_id": "model.a", "status": "success"},
        {"unique_id": "test.b", "status": "pass"},
        {"unique_id": "test.c", "status": "fail"},
        {"unique_id": "model.d", "status": "error"},
        {"unique_id": "exposure.e", "status": "no-op"},  # dbt builds nothing for an exposure
        {"unique_id": "model.f", "status": "no-op"},
    ]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": results}))
    assert failed_nodes(path) == ["test.c: fail", "model.d: error", "model.f: no-op"]


def test_load_times_and_snapshot_validity_are_run_time_columns():
    from lakehouse.parity.fingerprints import RUN_TIME_COLUMN

    assert all(RUN_TIME_COLUMN.match(c) for c in ["_ingested_at", "ingested_at", "dbt_valid_from"])
    assert not any(RUN_TIME_COLUMN.match(c) for c in ["ordered_on", "shipped_at", "dbt_id"])


def test_source_tables_are_every_dbt_source_once(tmp_path):
    from lakehouse.parity.fingerprints import source_tables

    sources = {
        "source.p.erp.orders": {"schema": "cmr_raw", "identifier": "sales__orders"},
        "source.p.erp.orders_again": {"schema": "cmr_raw", "identifier": "sales__orders"},
        "source.p.crm.customer": {"schema": "cmr_raw", "identifier": "customers__customer"},
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": {}, "sources": sources}))
    assert source_tables(manifest) == ["cmr_raw.customers__customer", "cmr_raw.sales__orders"]


def test_each_run_starts_from_an_empty_folder_but_for_jars_and_sample_data(tmp_path):
    for folder in ("jars", "tpch/sf0.01", "metastore_db", "warehouse/cmr_raw.db"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "f").write_text("x")
    (tmp_path / "dbt.log").write_text("the last run")
    fresh(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jars", "tpch"]
    assert (tmp_path / "tpch" / "sf0.01" / "f").exists()


def test_emptying_a_lakehouse_stops_the_metastore_server_an_earlier_command_left(tmp_path):
    from lakehouse_jobs.paths import metastore_port

    from lakehouse.local import metastore

    metastore.ensure(tmp_path)
    assert metastore.listening(metastore_port(tmp_path))
    fresh(tmp_path)
    assert not metastore.listening(metastore_port(tmp_path))
    metastore.ensure(tmp_path)  # a new server starts on the emptied folder
    assert metastore.stop(tmp_path)
