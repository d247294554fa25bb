"""What every node declares about itself: a primary-key test, descriptions of it, its
columns, its macros' arguments, and the exposures that use the curated products."""

from __future__ import annotations

import csv
from pathlib import Path, PurePosixPath

from lakehouse.checks.conventions.manifest import (
    COMPOUND_KEY_TESTS,
    Violation,
    models,
    place,
    tests_by_node,
)


def check_primary_keys(manifest: dict) -> list[Violation]:
    found = []
    tests = tests_by_node(manifest)
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed"):
            continue
        attached = tests.get(uid, [])
        unique = {kw["column_name"] for name, kw in attached if name == "unique"}
        not_null = {kw["column_name"] for name, kw in attached if name == "not_null"}
        compound = [name for name, _ in attached if name in COMPOUND_KEY_TESTS]
        if not (unique & not_null) and not compound:
            found.append(
                Violation(
                    "primary-key",
                    uid,
                    "no primary-key test: add unique + "
                    "not_null on the key column, or unique_combination",
                )
            )
    return found


def _seed_header(root: Path | None, node: dict) -> list[str]:
    if root is None or not (root / node["original_file_path"]).is_file():
        return []
    with open(root / node["original_file_path"], newline="") as f:
        return next(csv.reader(f), [])


def check_documentation(manifest: dict, root: Path | None = None) -> list[Violation]:
    found = []

    def described(uid: str, what: str, text: str | None) -> None:
        if not (text or "").strip():
            found.append(Violation("documentation", uid, f"{what} has no description"))

    documented = [
        (uid, node)
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed", "snapshot")
    ]
    for uid, node in documented + sorted(manifest["sources"].items()):
        kind = node["resource_type"]
        described(uid, kind, node.get("description"))
        if kind == "source":
            described(uid, f"source {node['source_name']}", node.get("source_description"))
        for column in node.get("columns", {}).values():
            described(uid, f"column {column['name']}", column.get("description"))
        if kind == "seed":
            declared = {c.lower() for c in node.get("columns", {})}
            for column in _seed_header(root, node):
                if column.lower() not in declared:
                    found.append(
                        Violation(
                            "documentation",
                            uid,
                            f"seed column {column} is not "
                            "declared (and described) in the seed's YAML",
                        )
                    )
    return found


def _macro_arguments(macro: dict) -> list[str]:
    """The arguments of a macro's Jinja definition, as dbt parses them (a materialization takes
    none of its own: dbt's `supported_languages` is left out)."""
    import jinja2
    from dbt_common.clients import jinja

    if macro["name"].startswith("materialization_"):
        return []
    tree = jinja.parse(macro.get("macro_sql") or "")
    return [arg.name for node in tree.find_all(jinja2.nodes.Macro) for arg in node.args]


def _macros_yaml(macro: dict) -> str:
    """Where a macro is documented: its folder's _<folder>__macros.yml."""
    folder = PurePosixPath(macro["original_file_path"]).parent
    return str(folder / f"_{folder.name}__macros.yml")


def check_macros(manifest: dict) -> list[Violation]:
    """Every macro of the project (package = the project) is documented in its folder's YAML:
    a description, and every argument of its definition, in order, with a type dbt knows and a
    description."""
    from dbt.parser.schemas import is_valid_type

    project = manifest.get("metadata", {}).get("project_name", "lakehouse")
    found = []
    for uid, macro in sorted(manifest.get("macros", {}).items()):
        if macro.get("package_name") != project:
            continue

        def report(detail: str, uid: str = uid) -> None:
            found.append(Violation("documentation", uid, detail))

        yaml = _macros_yaml(macro)
        if not (macro.get("description") or "").strip():
            report(f"macro has no description (document it in {yaml})")
        elif (macro.get("patch_path") or "").split("://")[-1] != yaml:
            report(f"macro is documented in {macro.get('patch_path')}, not in {yaml}")
        documented = {a["name"]: a for a in macro.get("arguments") or []}
        taken = _macro_arguments(macro)
        for name in taken:
            argument = documented.get(name)
            if argument is None:
                report(f"argument {name} is not documented")
                continue
            if not is_valid_type(argument.get("type") or ""):
                report(f"argument {name} has no type dbt knows: {argument.get('type')!r}")
            if not (argument.get("description") or "").strip():
                report(f"argument {name} has no description")
        for name in documented:
            if name not in taken:
                report(f"documents argument {name}, which the macro does not take")
        if set(documented) == set(taken) and list(documented) != taken:
            report(f"documents its arguments in another order than it takes them: {taken}")
    return found


def check_catalog_columns(manifest: dict, catalog: dict) -> list[Violation]:
    """Columns the built tables have but the YAML does not document (needs catalog.json)."""
    found = []
    for uid, entry in catalog.get("nodes", {}).items():
        node = manifest["nodes"].get(uid)
        if node is None or node["resource_type"] not in ("model", "seed", "snapshot"):
            continue
        declared = {c.lower() for c in node.get("columns", {})}
        for column in entry.get("columns", {}):
            if column.lower() not in declared and not column.lower().startswith("dbt_"):
                found.append(
                    Violation(
                        "documentation",
                        uid,
                        f"built column {column} is not documented in the model's YAML",
                    )
                )
    return found


def check_exposures(manifest: dict) -> list[Violation]:
    found = []
    exposures = manifest.get("exposures", {})
    used = {uid for e in exposures.values() for uid in e["depends_on"]["nodes"]}
    for uid, node in models(manifest).items():
        if place(node)[1] == "curated" and uid not in used:
            found.append(
                Violation(
                    "exposure",
                    uid,
                    "curated model is used by no exposure: "
                    "declare its consumers in _curated__exposures.yml",
                )
            )
    for uid, exposure in exposures.items():
        if not (exposure.get("description") or "").strip():
            found.append(Violation("documentation", uid, "exposure has no description"))
    return found
