"""The checkout under test: its root folder and its virtual environment."""

import shutil
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
