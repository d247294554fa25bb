"""The domain's projects and their ingestion job scripts, discovered from folders (never listed).

A project is a folder of models/ (`models/<project>/{staging,refined,curated}/`); its other
code lives in folders of the same name: ingestion/jobs/<project>/, seeds/<project>/,
snapshots/<project>/. `models/shared/` holds what belongs to no project. A job script is
`ingestion/jobs/<project>/ingest_<source>_<what>.py`; files starting with `_` are helpers the
scripts import, not jobs.

Standard library only: the deployment's scripts import it before anything is installed.
`python3 lakehouse/projects.py [ROOT]` prints the projects, one a line (terraform/scripts/
tf-stack.sh and the terraform-plan workflow use it).
"""

from __future__ import annotations

import sys
from pathlib import Path

MODELS = "models"
JOBS = "ingestion/jobs"
# Every folder that holds a project's own code, one subfolder per project.
PROJECT_FOLDERS = (MODELS, JOBS, "seeds", "snapshots")
SHARED = "shared"  # models/shared/: documentation blocks every project uses


def is_project_name(name: str) -> bool:
    return name != SHARED and not name.startswith(("_", "."))


def _root(root: Path | None) -> Path:
    if root is not None:
        return root
    from lakehouse_jobs.paths import repo_root

    found = repo_root()
    if found is None:
        raise RuntimeError("no checkout found (domain.yml + dbt_project.yml)")
    return found


def projects(root: Path | None = None) -> list[str]:
    """Every project of the domain: the folders of models/."""
    folder = _root(root) / MODELS
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_project_name(p.name))


def project_folders(root: Path | None = None) -> set[str]:
    """Every name that has a folder in one of PROJECT_FOLDERS (a project, or a stray one)."""
    root = _root(root)
    found: set[str] = set()
    for folder in PROJECT_FOLDERS:
        if (root / folder).is_dir():
            found |= {p.name for p in (root / folder).iterdir() if p.is_dir()}
    return {name for name in found if is_project_name(name)}


def job_scripts(root: Path | None = None, project: str | None = None) -> list[Path]:
    """The ingestion job scripts of one project, or of every project, in a stable order."""
    pattern = f"{JOBS}/{project or '*'}/*.py"
    return sorted(p for p in _root(root).glob(pattern) if is_job_script(p))


def is_job_script(path: Path) -> bool:
    return path.suffix == ".py" and not path.name.startswith("_")


def job_source(script: Path) -> str:
    """The source system a job script loads: ingest_<source>_<what>.py."""
    parts = script.stem.split("_")
    if len(parts) < 3 or parts[0] != "ingest":
        raise ValueError(f"{script}: a job script is named ingest_<source>_<what>.py")
    return parts[1]


def project_of_path(path: str) -> str | None:
    """The project a repository path belongs to (models/sales/x.sql -> sales), or None."""
    for folder in PROJECT_FOLDERS:
        prefix = f"{folder}/"
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            name = rest.split("/", 1)[0]
            return name if "/" in rest and is_project_name(name) else None
    return None


def main(argv: list[str] | None = None) -> int:
    """Print the projects of the checkout at argv[0] (default: this one), one a line."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    for name in projects(root):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
