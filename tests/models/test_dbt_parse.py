"""The project parses for every target without AWS: local and the dbt-glue targets."""

import json

import pytest
from dbt.cli.main import dbtRunner

GLUE_ENV = {
    "DBT_GLUE_ROLE_ARN": "arn:aws:iam::123456789012:role/cmr-dev-sales-dbt-session",
    "DBT_GLUE_LOCATION": "s3://ie-cmr-dev-refined-123456789012/",
    "DBT_DEVELOPER": "jdoe",
    "DBT_PROJECT": "sales",
}


def parse(repo_root, tmp_path, target):
    result = dbtRunner().invoke(
        [
            "parse",
            "--target",
            target,
            "--project-dir",
            str(repo_root),
            "--target-path",
            str(tmp_path),
        ]
    )
    assert result.success, result.exception
    return json.loads((tmp_path / "manifest.json").read_text())


@pytest.fixture
def dbt_env(monkeypatch, repo_root):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(repo_root / "profiles"))
    for key, value in GLUE_ENV.items():
        monkeypatch.setenv(key, value)


def test_dev_target_names_schemas_and_locations_per_developer(dbt_env, repo_root, tmp_path):
    manifest = parse(repo_root, tmp_path, "dev")
    nodes = manifest["nodes"]
    assert nodes["model.lakehouse.orders"]["schema"] == "cmr_refined_jdoe"
    assert nodes["model.lakehouse.stg_erp__orders"]["schema"] == "cmr_staging_jdoe"
    assert nodes["seed.lakehouse.ship_modes"]["schema"] == "cmr_refined_jdoe"
    # the other projects' data products are read where they are published
    assert nodes["model.lakehouse.customers"]["schema"] == "cmr_refined"
    relationship = "test.lakehouse.relationships_orders_customer_id__customer_id__ref_customers_"
    assert next(n for uid, n in nodes.items() if uid.startswith(relationship))["schema"] == (
        "cmr_audit_jdoe"
    )


def test_a_developer_build_names_its_project(dbt_env, monkeypatch, repo_root, tmp_path):
    monkeypatch.delenv("DBT_PROJECT")
    result = dbtRunner().invoke(
        [
            "parse",
            "--target",
            "dev",
            "--project-dir",
            str(repo_root),
            "--target-path",
            str(tmp_path),
        ]
    )
    assert not result.success
    assert "target dev needs DBT_PROJECT" in str(result.exception)


def test_prod_target_uses_the_shared_layer_schemas(dbt_env, repo_root, tmp_path):
    manifest = parse(repo_root, tmp_path, "prod")
    assert manifest["nodes"]["model.lakehouse.orders"]["schema"] == "cmr_refined"
    assert manifest["sources"]["source.lakehouse.erp.orders"]["schema"] == "cmr_raw"


def test_dev_target_without_developer_fails_clearly(dbt_env, monkeypatch, repo_root, tmp_path):
    monkeypatch.delenv("DBT_DEVELOPER")
    result = dbtRunner().invoke(
        [
            "parse",
            "--target",
            "dev",
            "--project-dir",
            str(repo_root),
            "--target-path",
            str(tmp_path),
        ]
    )
    assert not result.success
    assert "DBT_DEVELOPER" in str(result.exception)


def test_a_dev_deployment_builds_the_shared_dev_schemas(dbt_env, repo_root, tmp_path):
    result = dbtRunner().invoke(
        [
            "parse",
            "--target",
            "dev",
            "--vars",
            "{shared_schemas: true}",
            "--project-dir",
            str(repo_root),
            "--target-path",
            str(tmp_path),
        ]
    )
    assert result.success, result.exception
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["nodes"]["model.lakehouse.orders"]["schema"] == "cmr_refined"
