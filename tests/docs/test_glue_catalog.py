"""The docs catalog of a dbt-glue target lists the tables of EVERY schema
(macros/adapters/glue_get_catalog.sql and lakehouse/docs/glue_catalog.py), offline: only the
adapter's AWS calls (GetTables, GetTable and the session's `describe`) are replaced, by an
in-memory Glue Data Catalog holding every relation the project builds."""

import json

import pytest
from dbt.adapters.glue.impl import GlueAdapter
from dbt.cli.main import dbtRunner

from lakehouse.docs import glue_catalog

GLUE_ENV = {
    "DBT_GLUE_ROLE_ARN": "arn:aws:iam::123456789012:role/cmr-dev-sales-dbt-session",
    "DBT_GLUE_LOCATION": "s3://ie-cmr-dev-refined-123456789012/",
    "DBT_DEVELOPER": "jdoe",
    "DBT_PROJECT": "sales",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "eu-west-1",
}


def dbt(repo_root, target_path, *args):
    result = dbtRunner().invoke(
        [
            *args,
            "--target",
            "dev",
            "--project-dir",
            str(repo_root),
            "--target-path",
            str(target_path),
        ]
    )
    assert result.success, result.exception
    return result


@pytest.fixture
def glue_data_catalog(monkeypatch, repo_root, tmp_path):
    """A Glue Data Catalog (schema -> table -> columns) served to dbt-glue instead of AWS."""
    monkeypatch.setenv("DBT_PROFILES_DIR", str(repo_root / "profiles"))
    for key, value in GLUE_ENV.items():
        monkeypatch.setenv(key, value)
    dbt(repo_root, tmp_path / "parse", "parse")
    manifest = json.loads((tmp_path / "parse" / "manifest.json").read_text())
    tables: dict[str, dict[str, list[str]]] = {}
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        if node["resource_type"] in ("model", "seed", "snapshot", "source"):
            name = node.get("identifier") or node["alias"]
            tables.setdefault(node["schema"], {})[name] = list(node["columns"]) or ["id"]

    def list_relations_without_caching(self, schema_relation):
        return [
            self.Relation.create(
                database=schema_relation.schema,
                schema=schema_relation.schema,
                identifier=name,
                type="table",
            )
            for name in tables.get(schema_relation.schema, {})
        ]

    def get_relation(self, database, schema, identifier, file_format=None):
        if identifier not in tables.get(schema, {}):
            return None
        return self.Relation.create(
            database=schema, schema=schema, identifier=identifier, type="table"
        )

    def get_columns_in_relation(self, relation):
        columns = tables[relation.schema][relation.identifier]
        return [self.Column(column=c, dtype="string") for c in columns]

    monkeypatch.setattr(
        GlueAdapter, "list_relations_without_caching", list_relations_without_caching
    )
    monkeypatch.setattr(GlueAdapter, "get_relation", get_relation)
    monkeypatch.setattr(GlueAdapter, "get_columns_in_relation", get_columns_in_relation)
    return manifest, tables


def generate_catalog(repo_root, target_path):
    dbt(repo_root, target_path, "docs", "generate", "--no-compile")
    return json.loads((target_path / "catalog.json").read_text())


def test_stock_dbt_glue_catalog_misses_every_node(glue_data_catalog, repo_root, tmp_path):
    _, tables = glue_data_catalog
    assert len(tables) >= 4  # staging, refined, curated, raw at least
    catalog = generate_catalog(repo_root, tmp_path / "stock")
    assert catalog["nodes"] == {} and catalog["sources"] == {}


def test_project_macro_catalogs_every_schema(glue_data_catalog, repo_root, tmp_path, monkeypatch):
    manifest, _ = glue_data_catalog
    monkeypatch.setattr(GlueAdapter, "get_catalog", GlueAdapter.get_catalog)  # undone after
    assert glue_catalog.install()

    catalog = generate_catalog(repo_root, tmp_path / "fixed")

    expected = {
        uid
        for uid, n in manifest["nodes"].items()
        if n["resource_type"] in ("model", "seed", "snapshot")
    }
    assert set(catalog["nodes"]) == expected
    assert set(catalog["sources"]) == set(manifest["sources"])
    schemas = {entry["metadata"]["schema"] for entry in catalog["nodes"].values()}
    assert {"cmr_staging_jdoe", "cmr_refined_jdoe", "cmr_curated_jdoe"} <= schemas
    curated = catalog["nodes"]["model.lakehouse.order_volume_by_month"]
    assert list(curated["columns"]) == list(
        manifest["nodes"]["model.lakehouse.order_volume_by_month"]["columns"]
    )
    indexes = [c["index"] for c in curated["columns"].values()]
    assert indexes == list(range(1, len(indexes) + 1))
