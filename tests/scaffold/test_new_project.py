"""`make new-project`: a project scaffolded into a copy of the repository parses, follows the
conventions, is discovered by ingestion, dbt and Terraform, and builds on a local lakehouse."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from checkout import tracked_copy

from lakehouse import environment
from lakehouse.checks.conventions import check_manifest, parse_manifest
from lakehouse.scaffold import new_project

NAME = "inventory"
LANDING = """item_id,item_name,category,quantity,unit_price,updated_on
1,bolt,parts,100,0.25,2024-03-01
2,hammer,tools,5,12.50,2024-03-01
3,nut,parts,250,0.10,2024-03-01
4,tape,supplies,10,3.99,2024-03-01
"""
EXPECTED = {  # category -> (items, quantity, value)
    "parts": (2, 350, Decimal("50.00")),
    "tools": (1, 5, Decimal("62.50")),
    "supplies": (1, 10, Decimal("39.90")),
}


@pytest.fixture(scope="module")
def checkout(repo_root, tmp_path_factory):
    root = tracked_copy(repo_root, tmp_path_factory.mktemp("checkout"))
    created = new_project.scaffold(root, NAME)
    return root, created


@pytest.fixture(scope="module")
def manifest(checkout, tmp_path_factory, repo_root):
    root, _ = checkout
    os.environ.setdefault("DBT_PROFILES_DIR", str(repo_root / "profiles"))
    return parse_manifest(root, tmp_path_factory.mktemp("target"))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "is not a project name"),
        ("Inventory", "is not a project name"),
        ("1inventory", "is not a project name"),
        ("inventory__eu", "is not a project name"),
        ("x", "is not a project name"),
        ("shared", "is reserved"),
        ("sales", "exists already"),
        ("supply", "exists already"),
    ],
)
def test_invalid_names_are_refused_with_a_clear_error(repo_root, name, message, capsys):
    before = sorted(p.name for p in (repo_root / "models").iterdir())
    with pytest.raises(new_project.ScaffoldError, match=message):
        new_project.scaffold(repo_root, name)
    assert new_project.main([name, "--root", str(repo_root)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (repo_root / "models").iterdir()) == before


def test_a_source_name_used_by_another_project_is_refused(repo_root):
    with pytest.raises(new_project.ScaffoldError, match="source 'erp' exists already"):
        new_project.scaffold(repo_root, "inventory", source="erp")


def test_scaffold_writes_every_part_of_a_project(checkout):
    root, created = checkout
    relative = {str(p.relative_to(root)) for p in created}
    assert {
        "models/inventory/staging/inventory/_inventory__sources.yml",
        "models/inventory/staging/inventory/_inventory__models.yml",
        "models/inventory/staging/inventory/stg_inventory__items.sql",
        "models/inventory/refined/inventory_items.sql",
        "models/inventory/refined/_refined__models.yml",
        "models/inventory/curated/inventory_stock_by_category.sql",
        "models/inventory/curated/_curated__models.yml",
        "models/inventory/curated/_curated__exposures.yml",
        "ingestion/jobs/inventory/ingest_inventory_files.py",
        "ingestion/jobs/inventory/samples/items.csv",
        "seeds/inventory/_inventory__seeds.yml",
        "snapshots/inventory/_inventory__snapshots.yml",
    } <= relative
    for path in created:
        assert "@project@" not in path.read_text() and "@source@" not in path.read_text(), path
    # Terraform: nothing written, the one project root deploys every project of models/
    assert not [p for p in relative if p.startswith("terraform/")]
    assert not (root / "terraform" / "projects").exists()
    from lakehouse import projects

    assert NAME in projects.projects(root)


def test_scaffolded_project_parses_into_its_layers(manifest):
    nodes = manifest["nodes"]
    expected = {
        "model.lakehouse.stg_inventory__items": ("inventory/staging/inventory/", "cmr_staging"),
        "model.lakehouse.inventory_items": ("inventory/refined/", "cmr_refined"),
        "model.lakehouse.inventory_stock_by_category": ("inventory/curated/", "cmr_curated"),
    }
    for uid, (folder, schema) in expected.items():
        assert nodes[uid]["path"].startswith(folder)
        assert nodes[uid]["schema"] == schema
    source = manifest["sources"]["source.lakehouse.inventory.items"]
    assert (source["schema"], source["identifier"]) == ("cmr_raw", "inventory__items")
    assert nodes["model.lakehouse.inventory_stock_by_category"]["contract"]["enforced"]
    exposure = manifest["exposures"]["exposure.lakehouse.inventory_stock_dashboard"]
    assert exposure["depends_on"]["nodes"] == ["model.lakehouse.inventory_stock_by_category"]


def test_scaffolded_project_follows_every_convention(manifest, checkout):
    root, _ = checkout
    ours = [v for v in check_manifest(manifest, root) if "inventory" in v.node]
    assert not ours, "\n".join(map(str, ours))


def test_central_tooling_discovers_the_project_by_folder(checkout):
    root, _ = checkout
    from lakehouse_jobs.contracts import load_contracts

    from lakehouse import projects
    from lakehouse.local import tpch

    contract = load_contracts(root)[("inventory", "items")]
    assert contract.project == "inventory" and contract.identifier == "inventory__items"
    job = root / "ingestion/jobs/inventory/ingest_inventory_files.py"
    assert job in projects.job_scripts(root)
    sample = root / contract.landing["sample"]
    assert sample.is_file()
    assert tpch.source_file(contract, root / "no-tpch").name == "items.csv"


BUILD = r"""
import json, os, shutil, sys
from pathlib import Path
home = Path(os.environ["LAKEHOUSE_DIR"])
from lakehouse.local import jars
jars.ensure_jars(home)
landing = home / "landing" / "inventory" / "inventory" / "2024-03-01"
landing.mkdir(parents=True)
(landing / "items.csv").write_text(sys.stdin.read())
from lakehouse_jobs.spark import get_spark
spark = get_spark("scaffold-test")
from lakehouse.local.ingestion import run_job
run_job(Path("ingestion/jobs/inventory/ingest_inventory_files.py"), "2024-03-01")
from lakehouse.local.dbt import run_dbt
build = run_dbt("build", "--select", "path:models/inventory", "source:inventory")
statuses = sorted({str(r.status) for r in build.result})
rows = spark.sql("select item_category, item_count, quantity_in_stock, cast(stock_value as string)"
                 " from cmr_curated.inventory_stock_by_category").collect()
provider = {r[0]: r[1] for r in spark.sql(
    "describe table extended cmr_curated.inventory_stock_by_category").collect()}["Provider"]
print("RESULT " + json.dumps({"success": build.success, "statuses": statuses,
                              "nodes": len(build.result), "provider": provider,
                              "rows": [list(r) for r in rows]}))
"""


@pytest.mark.integration
def test_scaffolded_project_builds_on_a_local_lakehouse(checkout, repo_root, tmp_path):
    root, _ = checkout
    env = {
        **os.environ,
        **environment.dbt_environment(tmp_path / "lakehouse", root),
        "LAKEHOUSE_DRIVER_MEMORY": "1g",
        "PYTHONPATH": f"{root / 'ingestion' / 'src'}{os.pathsep}{root}",
    }
    env.pop("DOMAIN_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", BUILD],
        cwd=root,
        env=env,
        input=LANDING,
        text=True,
        capture_output=True,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["success"] and "pass" in result["statuses"], result
    assert set(result["statuses"]) <= {"pass", "success", "no-op"}, result
    assert result["provider"] == "iceberg"
    actual = {r[0]: (r[1], r[2], Decimal(r[3])) for r in result["rows"]}
    assert actual == EXPECTED
