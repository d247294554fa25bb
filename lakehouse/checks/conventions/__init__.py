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

import json
from pathlib import Path

from lakehouse.checks.conventions.contracts import (
    check_catalog_columns,
    check_documentation,
    check_exposures,
    check_macros,
    check_primary_keys,
)
from lakehouse.checks.conventions.manifest import Violation
from lakehouse.checks.conventions.structure import (
    check_access,
    check_dependencies,
    check_layout_and_naming,
    check_materializations,
)

__all__ = ["Violation", "check_catalog_columns", "check_manifest", "main", "parse_manifest"]


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
