"""`make new-project NAME=inventory [SOURCE=wms]`: scaffold a project of the domain.

Creates, from lakehouse/scaffold/template/ (tokens @project@ and @source@ in paths and text):
  models/<name>/staging/<source>/   the raw-table contract (source YAML), a staging model
  models/<name>/refined/            a refined Iceberg model, documented and tested
  models/<name>/curated/            a curated data product with an enforced contract
  ingestion/jobs/<name>/            a file ingestion job and a sample landing file
  seeds/<name>/, snapshots/<name>/  their (empty) documented YAML
Nothing for Terraform: the one project root terraform/project deploys any project of models/
(`terraform/scripts/tf-stack.sh <env> project <name> apply`). Everything else discovers
projects by folder too: no central file to edit, and the next `make run` ingests, builds and
tests the new project.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lakehouse.projects import project_folders

TEMPLATE = Path(__file__).resolve().parent / "template"
# 2-30 characters like the Terraform project root requires; no double underscore, which
# separates project and entity in raw table names (raw.<project>__<entity>).
PROJECT_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# A source name is one word: job scripts are named ingest_<source>_<what>.py.
SOURCE_NAME = re.compile(r"[a-z][a-z0-9]*")
RESERVED = {"shared", "template", "staging", "refined", "curated", "raw", "audit"}


class ScaffoldError(ValueError):
    pass


def existing_sources(root: Path) -> set[str]:
    from lakehouse_jobs.contracts import SOURCE_GLOB

    return {p.parent.name for p in root.glob(SOURCE_GLOB)}


def validate(root: Path, name: str, source: str) -> None:
    if not PROJECT_NAME.fullmatch(name or "") or not 2 <= len(name) <= 30:
        raise ScaffoldError(
            f"NAME={name!r} is not a project name: 2-30 lower-case letters, digits and single "
            "underscores, starting with a letter (e.g. NAME=inventory)"
        )
    if name in RESERVED:
        raise ScaffoldError(f"NAME={name!r} is reserved: choose another project name")
    if name in project_folders(root):
        raise ScaffoldError(
            f"project {name!r} exists already (models/, ingestion/jobs/, seeds/ or snapshots/ "
            "has a folder of that name)"
        )
    if not SOURCE_NAME.fullmatch(source or ""):
        raise ScaffoldError(
            f"SOURCE={source!r} is not a source name: lower-case letters and digits, starting "
            "with a letter (e.g. SOURCE=wms)"
        )
    if source in existing_sources(root):
        raise ScaffoldError(f"source {source!r} exists already in another project: choose SOURCE=")


def render(text: str, name: str, source: str) -> str:
    return text.replace("@project@", name).replace("@source@", source)


def scaffold(root: Path, name: str, source: str | None = None) -> list[Path]:
    """Writes the new project into the checkout at `root`; returns the files created."""
    source = source or name.replace("_", "")
    validate(root, name, source)
    created = []
    for template in sorted(TEMPLATE.rglob("*")):
        if not template.is_file() or "__pycache__" in template.parts:
            continue
        target = root / render(str(template.relative_to(TEMPLATE)), name, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template.read_text(), name, source))
        created.append(target)
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("name", nargs="?", default="", help="project name, e.g. inventory")
    parser.add_argument("--source", help="source system name (default: the project name)")
    parser.add_argument("--root", type=Path, help="checkout to scaffold in (default: this one)")
    args = parser.parse_args(argv)
    if args.root:
        root = args.root
    else:
        from lakehouse_jobs.paths import repo_root

        root = repo_root()
    try:
        created = scaffold(root, args.name, args.source)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in created:
        print(f"  created {path.relative_to(root)}")
    print(
        f"project {args.name} scaffolded: `make run` ingests its sample file and builds it; "
        "docs/adding-a-project.md says what to change next."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
