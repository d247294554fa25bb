"""The checkout under test: its root folder and its virtual environment."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
DBT_PROJECT = ("dbt_project.yml", "profiles", "models", "macros", "seeds", "snapshots")


def copy_dbt_project(into: Path) -> Path:
    """A copy of the checkout's dbt project (what dbt reads) in the new folder `into`."""
    into.mkdir(parents=True)
    for part in DBT_PROJECT:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, into / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / part, into / part)
    return into


def tracked_copy(repo_root: Path, destination: Path) -> Path:
    """The repository's tracked files (as they are in the working tree), nothing else."""
    listed = (
        subprocess.run(["git", "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = repo_root / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination
