"""Raw-table contracts, declared once: the dbt source YAML of each project's staging folder.

The same declaration gives dbt its sources and source tests, and gives the ingestion jobs the
columns, types, nullability (a `not_null` test) and allowed values (`accepted_values`) to enforce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from lakehouse_jobs.paths import packaged, repo_root

SOURCE_GLOB = "models/*/staging/*/_*__sources.yml"
# Columns the ingestion adds to every raw row; documented in the source YAML, never in the file.
LINEAGE_COLUMNS = ("_batch_id", "_source_file", "_source_row", "_ingested_at")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    required: bool = False
    accepted_values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Contract:
    project: str
    source: str
    table: str
    identifier: str
    columns: tuple[Column, ...]
    landing: dict = field(default_factory=dict, hash=False, compare=False)
    origin: str = ""

    @property
    def landing_columns(self) -> tuple[Column, ...]:
        """The columns a landing file carries, in file order."""
        return tuple(c for c in self.columns if c.name not in LINEAGE_COLUMNS)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _tests(column: dict) -> list:
    return list(column.get("data_tests") or column.get("tests") or [])


def _column(raw: dict, origin: str) -> Column:
    if "data_type" not in raw:
        raise ValueError(f"{origin}: column {raw.get('name')!r} has no data_type")
    required, accepted = False, None
    for test in _tests(raw):
        name, args = (test, {}) if isinstance(test, str) else next(iter(test.items()))
        if name == "not_null":
            required = True
        elif name == "accepted_values":
            values = (args.get("arguments") or args)["values"]
            accepted = tuple(str(v) for v in values)
    return Column(raw["name"], raw["data_type"].lower(), required, accepted)


def parse_sources(text: str, origin: str, project: str) -> list[Contract]:
    contracts = []
    for source in (yaml.safe_load(text) or {}).get("sources", []):
        for table in source.get("tables", []):
            where = f"{origin}: source {source['name']}.{table['name']}"
            columns = tuple(_column(c, where) for c in table.get("columns", []))
            if not columns:
                raise ValueError(f"{where} declares no columns")
            contracts.append(
                Contract(
                    project=project,
                    source=source["name"],
                    table=table["name"],
                    identifier=table.get("identifier", table["name"]),
                    columns=columns,
                    landing=(table.get("meta") or {}).get("landing", {}),
                    origin=origin,
                )
            )
    return contracts


def _source_files(root: Path | None):
    """(origin, project, text) of every source YAML: the checkout's, else the wheel's copies
    (walked with importlib.resources, which also reads inside a zipped wheel)."""
    root = root or repo_root()
    if root is not None:
        for path in sorted(root.glob(SOURCE_GLOB)):
            relative = path.relative_to(root)
            yield str(relative), relative.parts[1], path.read_text()
        return
    models = packaged("contracts") / "models"
    for project in sorted(models.iterdir(), key=lambda p: p.name):
        staging = project / "staging"
        if not staging.is_dir():
            continue
        for source in sorted(staging.iterdir(), key=lambda p: p.name):
            for file in sorted(source.iterdir(), key=lambda p: p.name):
                if file.name.startswith("_") and file.name.endswith("__sources.yml"):
                    origin = f"models/{project.name}/staging/{source.name}/{file.name}"
                    yield origin, project.name, file.read_text()


@cache
def load_contracts(root: Path | None = None) -> dict[tuple[str, str], Contract]:
    """Every contract of the checkout (or of the wheel's packaged copy), by (source, table)."""
    found: dict[tuple[str, str], Contract] = {}
    for origin, project, text in _source_files(root):
        for contract in parse_sources(text, origin, project):
            found[(contract.source, contract.table)] = contract
    return found


def contract_for(source: str, table: str) -> Contract:
    contracts = load_contracts()
    if (source, table) not in contracts:
        raise KeyError(f"no contract for source {source}.{table}; known: {sorted(contracts)}")
    return contracts[(source, table)]
