"""What each project's roles may touch on AWS, and in which order the domain builds, derived
from the dbt manifest (never kept by hand: a new `ref` is a new grant at the next deploy).

    python -m lakehouse.release.project_access --manifest target/manifest.json --out DIR

writes DIR/<project>.tfvars.json for each project stack (`dbt_access`: the relations the
project builds, by layer, and the other projects' relations it reads) and DIR/domain.tfvars.json
for the baseline (`pipeline_stages`: the waves of the domain's schedule).

A node belongs to the project of its folder (models/<p>/, seeds/<p>/, snapshots/<p>/; a test
to the folder of the YAML that declares it, or tests/dbt/<p>/). A project's build is its
stages: `upstream` (seeds, staging, refined, snapshots and their tests) and `curated` (its data
products and their tests). Stage B waits for stage A when a node of B reads a node of A; the
waves are those stages in dependency order, each wave's stages at once. A cycle between stages
is an error that names it.

Standard library only: the deployment runs it right after `dbt parse`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

RELATION_TYPES = ("model", "seed", "snapshot")
LAYERS = ("staging", "refined", "curated", "audit")
STAGES = ("upstream", "curated")


@dataclass(frozen=True, order=True)
class Relation:
    project: str
    layer: str  # staging | refined | curated | audit
    table: str


def project_of(node: dict) -> str | None:
    """models/<p>/..., seeds/<p>/..., snapshots/<p>/..., tests/dbt/<p>/... -> p."""
    parts = node.get("original_file_path", "").split("/")
    if parts[:2] == ["tests", "dbt"] and len(parts) > 3:
        return parts[2]
    if parts[0] in ("models", "seeds", "snapshots") and len(parts) > 2 and parts[1] != "shared":
        return parts[1]
    return None


def layer_of(node: dict) -> str:
    """The layer a node's relation lives in (macros/naming/schemas.sql says the same)."""
    if node["resource_type"] == "model":
        return node["original_file_path"].split("/")[2]
    if node["resource_type"] in ("seed", "snapshot"):
        return "refined"
    return "audit"


def stage_of(node: dict) -> str:
    """The gate's stage a node is built in (lakehouse.gate.selection selects the same)."""
    parts = node["original_file_path"].split("/")
    if parts[0] == "models":
        return "curated" if len(parts) > 3 and parts[2] == "curated" else "upstream"
    return "curated" if parts[:2] == ["tests", "dbt"] else "upstream"


def _relation(node: dict) -> Relation | None:
    if node["resource_type"] not in RELATION_TYPES:
        return None
    if node.get("config", {}).get("materialized") == "ephemeral":
        return None
    project = project_of(node)
    return Relation(project, layer_of(node), node["alias"]) if project else None


def _stored_failures(node: dict) -> Relation | None:
    if node["resource_type"] != "test" or not node.get("config", {}).get("store_failures"):
        return None
    project = project_of(node)
    return Relation(project, "audit", node["alias"]) if project else None


def _reads(nodes: dict, node: dict, seen: set[str] | None = None) -> set[str]:
    """The materialized nodes a node reads; an ephemeral one is read through."""
    seen = set() if seen is None else seen
    found: set[str] = set()
    for parent in node.get("depends_on", {}).get("nodes", []):
        if parent in seen or parent not in nodes:
            continue
        seen.add(parent)
        target = nodes[parent]
        if target.get("config", {}).get("materialized") == "ephemeral":
            found |= _reads(nodes, target, seen)
        elif target["resource_type"] in RELATION_TYPES:
            found.add(parent)
    return found


def _project_nodes(manifest: dict) -> dict[str, dict]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in (*RELATION_TYPES, "test") and project_of(node)
    }


def project_access(manifest: dict, project: str) -> dict:
    """The dbt_access of one project's stack: what it builds, and what of others it reads."""
    nodes = manifest["nodes"]
    builds: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    reads: set[Relation] = set()
    for node in _project_nodes(manifest).values():
        if project_of(node) != project:
            continue
        own = _relation(node) or _stored_failures(node)
        if own is not None:
            builds[own.layer].add(own.table)
        for parent in _reads(nodes, node):
            relation = _relation(nodes[parent])
            if relation is not None and relation.project != project:
                reads.add(relation)
    return {
        "builds": {layer: sorted(tables) for layer, tables in builds.items()},
        "reads": [r.__dict__ for r in sorted(reads)],
    }


def stage_dependencies(manifest: dict) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(project, stage) -> the (project, stage)s it waits for."""
    nodes = manifest["nodes"]
    waits: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for node in _project_nodes(manifest).values():
        stage = (project_of(node), stage_of(node))
        waits[stage] |= set()  # every stage of the domain, waiting or not
        for parent in _reads(nodes, node):
            other = nodes[parent]
            if project_of(other) and (project_of(other), stage_of(other)) != stage:
                waits[stage].add((project_of(other), stage_of(other)))
    for project, stage in list(waits):
        if stage == "curated":
            waits[(project, "curated")].add((project, "upstream"))
    return waits


def schedule(manifest: dict) -> list[list[dict]]:
    """The domain's waves: each wave's stages run at once, after every earlier wave."""
    waits = {stage: set(before) for stage, before in stage_dependencies(manifest).items()}
    waves: list[list[dict]] = []
    while waits:
        ready = sorted(s for s, before in waits.items() if not before & waits.keys())
        if not ready:
            cycle = ", ".join(f"{p} {s}" for p, s in sorted(_cycle(waits)))
            raise ValueError(
                f"the stages {cycle} wait for each other: a project's refined layer must not "
                "read a project that reads it back (move the shared logic, or the test, to "
                "one side)"
            )
        waves.append([{"project": p, "stage": s} for p, s in ready])
        for stage in ready:
            del waits[stage]
    return waves


def _cycle(waits: dict[tuple[str, str], set[tuple[str, str]]]) -> list[tuple[str, str]]:
    """Stages that wait for each other, found by following waits until one repeats."""
    path: list[tuple[str, str]] = []
    stage = min(waits)
    while stage not in path:
        path.append(stage)
        stage = min(s for s in waits[stage] if s in waits)
    return path[path.index(stage) :]


def write(manifest_path: Path, out: Path) -> list[Path]:
    manifest = json.loads(manifest_path.read_text())
    out.mkdir(parents=True, exist_ok=True)
    projects = sorted({project_of(n) for n in _project_nodes(manifest).values()})
    written = []
    for project in projects:
        path = out / f"{project}.tfvars.json"
        path.write_text(json.dumps({"dbt_access": project_access(manifest, project)}, indent=1))
        written.append(path)
    domain = out / "domain.tfvars.json"
    domain.write_text(json.dumps({"pipeline_stages": schedule(manifest)}, indent=1))
    return [*written, domain]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--out", type=Path, required=True, help="folder for the .tfvars.json")
    args = parser.parse_args(argv)
    if not args.manifest.is_file():
        print(f"error: no {args.manifest}: run `dbt parse` first", file=sys.stderr)
        return 2
    try:
        for path in write(args.manifest, args.out):
            print(path)
    except ValueError as cycle:
        print(f"error: {cycle}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
