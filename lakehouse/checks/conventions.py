"""The project's structure conventions, checked on dbt's manifest (after `dbt parse`).

    python -m lakehouse.checks.conventions            parse the project and list every violation

Each violation names its rule and the offending node. The rules (dbt-project-evaluator's,
written out here because dbt Hub is out of reach):

  naming          staging models are stg_<source folder>__<entity>; refined and curated models
                  are lower-case snake_case names without the stg_ prefix
  layout          models live in models/<project>/<layer>/, staging in .../staging/<source>/
  one-staging     every source table has exactly one staging model, which selects from it alone
  source-access   only staging models call source() (no refined/curated -> source)
  layer-order     staging selects from no model; refined and curated only from the same or an
                  earlier layer (staging < refined < curated)
  primary-key     every model and seed has a primary-key test: unique + not_null on one column,
                  or unique_combination over several
  documentation   every model, seed, snapshot, source and source table has a description, and
                  so has every column they declare (and every seed CSV column); every macro of
                  the project has a description and documents each argument it takes (name,
                  a type dbt knows, description) in its folder's _<folder>__macros.yml
  materialization staging models are views; refined and curated models are Iceberg tables
                  or incrementals
  exposure        every curated model (a data product) is used by a documented exposure
  access          every model is in its project's group; staging models are private, refined
                  and curated ones public (what other projects may ref)
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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


def _models(manifest: dict) -> dict[str, dict]:
    return {k: n for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def _place(node: dict) -> tuple[str, str, str | None]:
    """(project, layer, source folder) of a model from its path under models/."""
    parts = node["path"].split("/")
    project = parts[0] if len(parts) > 1 else ""
    layer = parts[1] if len(parts) > 2 else ""
    folder = parts[2] if len(parts) > 3 else None
    return project, layer, folder


def check_layout_and_naming(manifest: dict) -> list[Violation]:
    found = []
    for uid, node in _models(manifest).items():
        project, layer, folder = _place(node)
        name = node["name"]
        if layer not in LAYERS:
            found.append(
                Violation(
                    "layout",
                    uid,
                    f"{node['original_file_path']} is not in "
                    f"models/<project>/<{'|'.join(LAYERS)}>/",
                )
            )
            continue
        if layer == "staging":
            if folder is None:
                found.append(
                    Violation(
                        "layout", uid, f"staging models live in models/{project}/staging/<source>/"
                    )
                )
            elif not re.fullmatch(rf"stg_{re.escape(folder)}__{ENTITY}", name):
                found.append(
                    Violation(
                        "naming",
                        uid,
                        f"staging model in folder {folder!r} must "
                        f"be named stg_{folder}__<entity>, not {name!r}",
                    )
                )
        elif name.startswith("stg_") or not re.fullmatch(ENTITY, name):
            found.append(
                Violation(
                    "naming",
                    uid,
                    f"{layer} model must be a lower-case snake_case "
                    f"entity name without the stg_ prefix, not {name!r}",
                )
            )
    return found


def check_dependencies(manifest: dict) -> list[Violation]:
    found = []
    models = _models(manifest)
    staging_of_source: dict[str, list[str]] = defaultdict(list)
    for uid, node in models.items():
        _, layer, folder = _place(node)
        if layer not in LAYERS:
            continue
        upstream = node["depends_on"]["nodes"]
        sources = [u for u in upstream if u.startswith("source.")]
        refs = [u for u in upstream if u in models]
        if layer == "staging":
            for source in sources:
                staging_of_source[source].append(uid)
            if len(sources) != 1:
                found.append(
                    Violation(
                        "one-staging",
                        uid,
                        "a staging model selects from exactly "
                        f"one source table, found {len(sources)}: {sources}",
                    )
                )
            for source in sources:
                if folder and manifest["sources"][source]["source_name"] != folder:
                    found.append(
                        Violation(
                            "layout",
                            uid,
                            f"selects from {source} but lives in staging folder {folder!r}",
                        )
                    )
            for ref in refs:
                found.append(
                    Violation(
                        "layer-order",
                        uid,
                        f"staging model selects from model {ref}; staging reads only its source",
                    )
                )
        else:
            for source in sources:
                found.append(
                    Violation(
                        "source-access",
                        uid,
                        f"{layer} model calls source() on "
                        f"{source}; only staging models read sources",
                    )
                )
            for ref in refs:
                ref_layer = _place(models[ref])[1]
                if ref_layer in LAYERS and LAYERS.index(ref_layer) > LAYERS.index(layer):
                    found.append(
                        Violation(
                            "layer-order",
                            uid,
                            f"{layer} model selects from {ref_layer} model {ref}",
                        )
                    )
    for source in manifest["sources"]:
        count = len(staging_of_source.get(source, []))
        if count != 1:
            found.append(
                Violation(
                    "one-staging",
                    source,
                    f"source table has {count} staging "
                    f"models (one expected): {staging_of_source.get(source, [])}",
                )
            )
    return found


def _tests_by_node(manifest: dict) -> dict[str, list[tuple[str, dict]]]:
    tests: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") if node["resource_type"] == "test" else None
        if meta and node.get("attached_node"):
            kwargs = dict(meta.get("kwargs") or {})
            kwargs.setdefault("column_name", node.get("column_name"))
            tests[node["attached_node"]].append((meta["name"], kwargs))
    return tests


def check_primary_keys(manifest: dict) -> list[Violation]:
    found = []
    tests = _tests_by_node(manifest)
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


def check_materializations(manifest: dict) -> list[Violation]:
    found = []
    for uid, node in _models(manifest).items():
        layer = _place(node)[1]
        config = node["config"]
        materialized, file_format = config.get("materialized"), config.get("file_format")
        if layer == "staging" and materialized != "view":
            found.append(
                Violation("materialization", uid, f"staging models are views, not {materialized}")
            )
        elif layer in BUILT_LAYERS and (
            materialized not in ("table", "incremental") or file_format != "iceberg"
        ):
            found.append(
                Violation(
                    "materialization",
                    uid,
                    f"{layer} models are Iceberg tables or "
                    f"incrementals, not {materialized} ({file_format})",
                )
            )
    return found


def check_exposures(manifest: dict) -> list[Violation]:
    found = []
    exposures = manifest.get("exposures", {})
    used = {uid for e in exposures.values() for uid in e["depends_on"]["nodes"]}
    for uid, node in _models(manifest).items():
        if _place(node)[1] == "curated" and uid not in used:
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


def check_access(manifest: dict) -> list[Violation]:
    """Model governance: a group per project, public above staging (docs/models.md)."""
    found = []
    for uid, node in _models(manifest).items():
        project, layer, _ = _place(node)
        expected = "private" if layer == "staging" else "public"
        if node.get("group") != project or node.get("access") != expected:
            found.append(Violation(
                "access", uid,
                f"group {node.get('group')!r} and access {node.get('access')!r}: want group "
                f"{project!r} and access {expected!r} (config: {{group: {project}, "
                f"access: {expected}}} in its YAML)",
            ))  # fmt: skip
    return found


def check_manifest(manifest: dict, root: Path | None = None) -> list[Violation]:
    """Every violation of the conventions in a parsed manifest, sorted by rule and node."""
    return sorted(
        check_layout_and_naming(manifest)
        + check_dependencies(manifest)
        + check_primary_keys(manifest)
        + check_documentation(manifest, root)
        + check_macros(manifest)
        + check_materializations(manifest)
        + check_exposures(manifest)
        + check_access(manifest)
    )


def parse_manifest(project_dir: Path, target_path: Path, target: str = "local") -> dict:
    """`dbt parse` into target_path; the manifest it wrote."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--project-dir",
            str(project_dir),
            "--target-path",
            str(target_path),
            "--target",
            target,
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return json.loads((target_path / "manifest.json").read_text())


def main() -> int:
    import tempfile

    from lakehouse_jobs.paths import repo_root

    from lakehouse import environment

    environment.defaults()
    root = repo_root()
    with tempfile.TemporaryDirectory() as target:
        manifest = parse_manifest(root, Path(target))
    violations = check_manifest(manifest, root)
    for violation in violations:
        print(violation)
    print(f"{len(violations)} convention violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
