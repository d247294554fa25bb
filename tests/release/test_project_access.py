"""What each project's roles may touch and the domain's schedule, derived from a manifest (no
Spark): the relations a project builds, the other projects' relations it reads (through
ephemeral models too, never through sources), and the waves of its stages."""

import json

import pytest

from lakehouse.release import project_access


def node(path: str, kind: str = "model", parents=(), alias=None, **config) -> dict:
    name = path.rsplit("/", 1)[-1].split(".")[0]
    return {
        "resource_type": kind,
        "original_file_path": path,
        "alias": alias or name,
        "config": {"materialized": "table", **config},
        "depends_on": {"nodes": list(parents)},
    }


def manifest() -> dict:
    nodes = {
        "model.l.stg_erp__orders": node(
            "models/sales/staging/erp/stg_erp__orders.sql", "model", ["source.l.erp.orders"],
            materialized="view",
        ),
        "model.l.orders": node(
            "models/sales/refined/orders.sql", "model", ["model.l.stg_erp__orders"]
        ),
        "model.l.customers": node("models/customers/refined/customers.sql"),
        "model.l.nations": node("models/customers/refined/nations.sql"),
        "model.l.nation_names": node(
            "models/customers/refined/nation_names.sql", "model", ["model.l.nations"],
            materialized="ephemeral",
        ),
        "model.l.revenue": node(
            "models/sales/curated/revenue.sql", "model", ["model.l.orders", "model.l.nation_names"]
        ),
        "model.l.lifetime_value": node(
            "models/customers/curated/lifetime_value.sql", "model",
            ["model.l.customers", "model.l.orders"],
        ),
        "seed.l.ship_modes": node("seeds/sales/ship_modes.csv", "seed"),
        "test.l.relationships_orders_customer": node(
            "models/sales/refined/_refined__models.yml", "test",
            ["model.l.orders", "model.l.customers"], alias="relationships_orders_customer",
            store_failures=True,
        ),
        "test.l.not_null_revenue": node(
            "models/sales/curated/_curated__models.yml", "test", ["model.l.revenue"]
        ),
    }  # fmt: skip
    return {"nodes": nodes}


def test_a_project_builds_its_own_relations_by_layer():
    access = project_access.project_access(manifest(), "sales")
    assert access["builds"] == {
        "staging": ["stg_erp__orders"],
        "refined": ["orders", "ship_modes"],
        "curated": ["revenue"],
        "audit": ["relationships_orders_customer"],  # a test that stores its failures
    }


def test_reads_are_the_other_projects_relations_its_models_and_tests_use():
    access = project_access.project_access(manifest(), "sales")
    assert access["reads"] == [
        {"project": "customers", "layer": "refined", "table": "customers"},  # its test
        {"project": "customers", "layer": "refined", "table": "nations"},  # via an ephemeral
    ]
    assert project_access.project_access(manifest(), "customers")["reads"] == [
        {"project": "sales", "layer": "refined", "table": "orders"}
    ]


def test_the_schedule_orders_stages_by_what_they_read():
    assert project_access.schedule(manifest()) == [
        [{"project": "customers", "stage": "upstream"}],
        [{"project": "sales", "stage": "upstream"}],  # its relationship test reads customers
        [{"project": "customers", "stage": "curated"}, {"project": "sales", "stage": "curated"}],
    ]


def test_a_cycle_between_stages_is_named():
    broken = manifest()
    broken["nodes"]["model.l.customers"]["depends_on"]["nodes"] = ["model.l.orders"]
    with pytest.raises(ValueError, match="customers upstream, sales upstream wait for each other"):
        project_access.schedule(broken)


def test_the_repository_manifest_gives_a_schedule_and_grants(tmp_path, repo_root):
    """The real project: parsed, then written as Terraform variables."""
    from dbt.cli.main import dbtRunner

    target = tmp_path / "target"
    parsed = dbtRunner().invoke(
        ["parse", "--project-dir", str(repo_root), "--profiles-dir", str(repo_root / "profiles"),
         "--target-path", str(target), "--target", "local", "--quiet"]
    )  # fmt: skip
    assert parsed.success
    written = project_access.write(target / "manifest.json", tmp_path / "access")
    assert {p.name for p in written} == {
        "customers.tfvars.json", "sales.tfvars.json", "supply.tfvars.json", "domain.tfvars.json"
    }  # fmt: skip
    waves = json.loads((tmp_path / "access" / "domain.tfvars.json").read_text())["pipeline_stages"]
    assert waves[-1] == [
        {"project": p, "stage": "curated"} for p in ("customers", "sales", "supply")
    ]
    assert [s for wave in waves for s in wave if s["stage"] == "upstream"] == [
        {"project": "customers", "stage": "upstream"},
        {"project": "supply", "stage": "upstream"},
        {"project": "sales", "stage": "upstream"},
    ]
    sales = json.loads((tmp_path / "access" / "sales.tfvars.json").read_text())["dbt_access"]
    assert {"project": "customers", "layer": "refined", "table": "customers"} in sales["reads"]
    assert "orders" in sales["builds"]["refined"]
