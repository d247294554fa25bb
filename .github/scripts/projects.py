#!/usr/bin/env python3
"""Which projects a deployment touches, discovered from the folders (never listed by hand).

A project is a folder of models/ (lakehouse/projects.py: `models/shared` and `_`-prefixed
folders are not projects); its other code lives in ingestion/jobs/<project>/. Every project
is deployed by the one root terraform/project with -var project=<project>.

    projects.py [--base SHA]   prints GitHub outputs:  all=[...]  deploy=[...]  destroy=[...]

deploy: projects whose files changed since SHA (every project when shared code changed, or when
SHA is unknown: first push, force push); destroy: projects whose models/ folder existed at SHA
and is gone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # lakehouse/projects.py: standard library only

from lakehouse.projects import MODELS, is_project_name, project_of_path, projects  # noqa: E402

# Shared code: a change here redeploys every project.
SHARED_PATHS = (
    "terraform/project/",
    "terraform/modules/",
    "terraform/environments/",
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
    """The projects of commit `sha`: the folders models/ had then."""
    listing = subprocess.run(
        ["git", "ls-tree", "-d", "--name-only", f"{sha}:{MODELS}"],
        cwd=root,
        capture_output=True,
        text=True,
    )  # fails when the commit had no models/: no projects then
    return sorted(name for name in listing.stdout.split() if is_project_name(name))


def plan(root: Path = ROOT, base: str = "") -> dict[str, list[str]]:
    current = projects(root)
    if base in NO_BASE or not commit_exists(root, base):
        return {"all": current, "deploy": current, "destroy": []}
    changed = git(root, "diff", "--name-only", base, "HEAD").splitlines()
    destroy = sorted(set(projects_at(root, base)) - set(current))
    if any(path.startswith(SHARED_PATHS) for path in changed):
        return {"all": current, "deploy": current, "destroy": destroy}
    touched = {project_of_path(path) for path in changed}
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
