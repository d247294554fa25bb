"""Where models live and what they may select from: naming, layout, layer order,
materializations, access (the rules' list is the package's docstring)."""

from __future__ import annotations

import re
from collections import defaultdict

from lakehouse.checks.conventions.manifest import (
    BUILT_LAYERS,
    ENTITY,
    LAYERS,
    Violation,
    models,
    place,
)


def check_layout_and_naming(manifest: dict) -> list[Violation]:
    found = []
    for uid, node in models(manifest).items():
        project, layer, folder = place(node)
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
    by_id = models(manifest)
    staging_of_source: dict[str, list[str]] = defaultdict(list)
    for uid, node in by_id.items():
        _, layer, folder = place(node)
        if layer not in LAYERS:
            continue
        upstream = node["depends_on"]["nodes"]
        sources = [u for u in upstream if u.startswith("source.")]
        refs = [u for u in upstream if u in by_id]
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
                ref_layer = place(by_id[ref])[1]
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


def check_materializations(manifest: dict) -> list[Violation]:
    found = []
    for uid, node in models(manifest).items():
        layer = place(node)[1]
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


def check_access(manifest: dict) -> list[Violation]:
    """Model governance: a group per project, public above staging (docs/models.md)."""
    found = []
    for uid, node in models(manifest).items():
        project, layer, _ = place(node)
        expected = "private" if layer == "staging" else "public"
        if node.get("group") != project or node.get("access") != expected:
            found.append(Violation(
                "access", uid,
                f"group {node.get('group')!r} and access {node.get('access')!r}: want group "
                f"{project!r} and access {expected!r} (config: {{group: {project}, "
                f"access: {expected}}} in its YAML)",
            ))  # fmt: skip
    return found
