"""The naming module reproduces the examples of docs/naming.md (abbreviation cmr, country ie,
environment dev, project sales, account 123456789012)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from .terraform_cli import TF_DIR

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def names() -> dict:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform binary not found on PATH")
    spec = importlib.util.spec_from_file_location("naming", TF_DIR / "scripts" / "naming.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.terraform_names(
        "dev", "123456789012", "sales", ["ingest_orders"], terraform=binary
    )


def test_names_follow_docs_naming(names):
    assert names["database_names"]["refined"] == "cmr_refined"
    assert names["audit_database_name"] == "cmr_audit"
    assert names["bucket_names"]["raw"] == "ie-cmr-dev-raw-123456789012"
    assert names["bucket_names"]["artifacts"] == "ie-cmr-dev-artifacts-123456789012"
    assert names["project_storage_prefix"] == "sales/"
    assert names["raw_table_prefix"] == "sales__"
    assert names["role_names"]["glue-job"] == "cmr-dev-sales-glue-job"
    assert names["glue_job_names"] == {"ingest_orders": "cmr-dev-sales-ingest-orders"}
    assert names["kms_alias"] == "alias/cmr-dev"
    assert names["state_bucket_name"] == "ie-cmr-dev-tfstate-123456789012"
    # dbt's schemas, and the names of dbt-glue's clients and the pipelines
    assert names["dbt_database_names"] == {
        "staging": "cmr_staging",
        "refined": "cmr_refined",
        "curated": "cmr_curated",
        "audit": "cmr_audit",
    }
    assert names["developer_database_patterns"]["refined"] == "cmr_refined_*"
    assert names["role_names"]["dbt-dev-session"] == "cmr-dev-sales-dbt-dev-session"
    assert names["policy_names"] == {
        "dbt-caller": "cmr-dev-sales-dbt-caller",
        "dbt-developer": "cmr-dev-sales-dbt-developer",
    }
    assert names["dbt_session_id"] == "cmr-dev-sales-dbt"
    assert names["pipeline_name"] == "cmr-dev-sales-pipeline"
    assert names["domain_pipeline_name"] == "cmr-dev-domain-pipeline"
    assert (names["docs_site_name"], names["docs_prefix"]) == ("cmr-dev-docs", "docs/dev/")


def test_python_names_the_project_roles_like_terraform(names):
    from lakehouse_jobs.domain import load_domain

    for purpose, role in names["role_names"].items():
        assert load_domain().role("dev", "sales", purpose) == role


def test_the_metric_namespace_is_the_same_in_python_and_terraform(names):
    from lakehouse_jobs.domain import load_domain

    assert names["metric_namespace"] == load_domain().metric_namespace == "cmr/lakehouse"
