#!/usr/bin/env python3
"""Which projects a deployment touches, discovered from the folders (never listed by hand).

A project is a folder of terraform/projects/ (its stack; `_template` and `_`-prefixed folders
are not projects). Its code lives in models/<project>/ and ingestion/jobs/<project>/.

    projects.py [--base SHA]   prints GitHub outputs:  all=[...]  deploy=[...]  destroy=[...]

deploy: projects whose files changed since SHA (every project when shared code changed, or when
SHA is unknown: first push, force push); destroy: projects whose stack existed at SHA and is gone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STACKS = "terraform/projects"
# Per-project folders: a change below <folder>/<project>/ redeploys that project only.
PROJECT_FOLDERS = (STACKS, "models", "ingestion/jobs")
# Shared code: a change here redeploys every project.
SHARED_PATHS = (
    f"{STACKS}/_template/",
    "terraform/modules/",
    "ingestion/src/",
    "macros/",
    "seeds/",
    "snapshots/",
    "models/shared/",
    "domain.yml",
    "dbt_project.yml",
    "profiles/",
    "tests/dbt/",
    "pyproject.toml",
)
NO_BASE = ("", "0" * 40)


def is_project(name: str) -> bool:
    return not name.startswith(("_", "."))


def projects(root: Path = ROOT) -> list[str]:
    """Every project: the folders of terraform/projects/ (the deployable stacks)."""
    folder = root / STACKS
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_project(p.name))


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def commit_exists(root: Path, sha: str) -> bool:
    probe = subprocess.run(
        ["git", "cat-file", "-e", f"{sha}^{{commit}}"], cwd=root, capture_output=True
    )
    return probe.returncode == 0


def projects_at(root: Path, sha: str) -> list[str]:
    listing = git(root, "ls-tree", "-d", "--name-only", f"{sha}:{STACKS}")
    return sorted(name for name in listing.split() if is_project(name))


def project_of(path: str) -> str | None:
    for folder in PROJECT_FOLDERS:
        prefix = f"{folder}/"
        if path.startswith(prefix):
            name = path[len(prefix) :].split("/", 1)[0]
            return name if is_project(name) and "/" in path[len(prefix) :] else None
    return None


def plan(root: Path = ROOT, base: str = "") -> dict[str, list[str]]:
    current = projects(root)
    if base in NO_BASE or not commit_exists(root, base):
        return {"all": current, "deploy": current, "destroy": []}
    changed = git(root, "diff", "--name-only", base, "HEAD").splitlines()
    destroy = sorted(set(projects_at(root, base)) - set(current))
    if any(path.startswith(SHARED_PATHS) for path in changed):
        return {"all": current, "deploy": current, "destroy": destroy}
    touched = {project_of(path) for path in changed}
    deploy = sorted(p for p in current if p in touched)
    return {"all": current, "deploy": deploy, "destroy": destroy}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="", help="commit deployed last (empty: deploy all)")
    args = parser.parse_args(argv)
    lines = [f"{key}={json.dumps(value)}" for key, value in plan(ROOT, args.base).items()]
    print("\n".join(lines))
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
