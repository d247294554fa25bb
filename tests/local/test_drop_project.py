"""`make drop-project` (lakehouse.local.drop_project): it refuses while other projects read the
project, and knows where the project's files are. Dropping a scaffolded project from the
shared lakehouse is in tests/models/test_runbooks.py."""

from pathlib import Path

from lakehouse.local import drop_project


def node(path: str, name: str, reads: tuple[str, ...] = (), kind: str = "model") -> tuple:
    uid = f"{kind}.lakehouse.{name}"
    return uid, {
        "resource_type": kind,
        "original_file_path": path,
        "alias": name,
        "config": {"materialized": "table"},
        "depends_on": {"nodes": [f"model.lakehouse.{r}" for r in reads]},
    }


MANIFEST = {
    "nodes": dict(
        [
            node("models/inventory/refined/inventory_items.sql", "inventory_items"),
            node("models/inventory/curated/stock.sql", "stock", ("inventory_items",)),
            node("models/sales/refined/orders.sql", "orders"),
            node("models/sales/curated/margin.sql", "margin", ("orders", "inventory_items")),
            node("models/supply/curated/stockouts.sql", "stockouts", ("stock",)),
        ]
    )
}


def test_the_projects_that_read_it_are_named():
    assert drop_project.readers(MANIFEST, "inventory") == [
        "sales reads refined.inventory_items",
        "supply reads curated.stock",
    ]
    assert drop_project.readers(MANIFEST, "supply") == []


def test_a_project_that_is_no_folder_of_models_is_refused_before_anything(capsys):
    assert drop_project.main(["inventory"]) == 2
    assert capsys.readouterr().err.startswith("error: no project inventory in models/: drop ")


def test_its_files_are_its_folders_of_each_layer_the_audit_the_deliveries_and_its_gate():
    home = Path("/lakehouse")
    assert [str(f.relative_to(home)) for f in drop_project.folders(home, "inventory")] == [
        "warehouse/raw/inventory",
        "warehouse/refined/inventory",
        "warehouse/curated/inventory",
        "warehouse/artifacts/audit/inventory",
        "landing/inventory",
        "archive/inventory",
        "gate-state/inventory",
    ]
