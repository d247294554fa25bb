"""Projects share data products through dbt's model governance (no Spark): a group per project,
private models unless made public, and a ref to another project's private model refused at
parse time, naming both models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakehouse.release import dbt_bundle


def parse(project: Path, target: Path):
    from dbt.cli.main import dbtRunner

    return dbtRunner().invoke(
        ["parse", "--project-dir", str(project), "--profiles-dir", str(project / "profiles"),
         "--target-path", str(target), "--target", "local", "--quiet"]
    )  # fmt: skip


@pytest.fixture
def copy(tmp_path) -> Path:
    """The dbt project as the pipeline ships it, in a scratch folder."""
    for name, content in dbt_bundle.bundle_files(dbt_bundle.ROOT).items():
        path = tmp_path / "project" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return tmp_path / "project"


def test_every_model_is_in_its_projects_group_public_only_above_staging(repo_root, tmp_path):
    assert parse(repo_root, tmp_path / "target").success
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert set(manifest["groups"]) == {
        f"group.lakehouse.{p}" for p in ("customers", "sales", "supply")
    }
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        _, project, layer, *_ = node["original_file_path"].split("/")
        assert node["group"] == project, node["unique_id"]
        expected = "private" if layer == "staging" else "public"
        assert node["access"] == expected, node["unique_id"]


def test_a_ref_to_another_projects_private_model_fails_at_parse(copy, tmp_path):
    model = copy / "models" / "sales" / "refined" / "customers_seen_by_sales.sql"
    model.write_text("select customer_id from {{ ref('stg_crm__customers') }}\n")
    parsed = parse(copy, tmp_path / "target")
    assert not parsed.success
    message = str(parsed.exception)
    assert "customers_seen_by_sales" in message
    assert "stg_crm__customers" in message
    assert "private" in message


def test_a_ref_to_another_projects_public_model_parses(copy, tmp_path):
    model = copy / "models" / "sales" / "refined" / "customers_seen_by_sales.sql"
    model.write_text("select customer_id from {{ ref('customers') }}\n")
    assert parse(copy, tmp_path / "target").success
