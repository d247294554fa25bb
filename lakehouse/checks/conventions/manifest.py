"""What every convention rule reads off dbt's manifest: a violation, the models, their place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

LAYERS = ("staging", "refined", "curated")
BUILT_LAYERS = ("refined", "curated")
ENTITY = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
COMPOUND_KEY_TESTS = ("unique_combination", "unique_combination_of_columns")


@dataclass(frozen=True, order=True)
class Violation:
    rule: str
    node: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.node}: {self.detail}"


def models(manifest: dict) -> dict[str, dict]:
    return {k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def place(node: dict) -> tuple[str, str, str | None]:
    """(project, layer, source folder) of a model from its path under models/."""
    parts = node["path"].split("/")
    project = parts[0] if len(parts) > 1 else ""
    layer = parts[1] if len(parts) > 2 else ""
    folder = parts[2] if len(parts) > 3 else None
    return project, layer, folder


def tests_by_node(manifest: dict) -> dict[str, list[tuple[str, dict]]]:
    tests: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") if node["resource_type"] == "test" else None
        if meta and node.get("attached_node"):
            kwargs = dict(meta.get("kwargs") or {})
            kwargs.setdefault("column_name", node.get("column_name"))
            tests[node["attached_node"]].append((meta["name"], kwargs))
    return tests
