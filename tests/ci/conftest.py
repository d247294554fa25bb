"""Shared helpers of the CI/CD tests: the workflows, parsed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
VENV_BIN = ROOT / ".venv" / "bin"


def load_workflow(path: Path) -> dict:
    """A workflow as a dict. YAML 1.1 reads the `on:` key as True: give it its name back."""
    data = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


@pytest.fixture(scope="session")
def workflows() -> dict[str, dict]:
    return {path.name: load_workflow(path) for path in workflow_files()}


@pytest.fixture(scope="session")
def projects_script():
    """.github/scripts/projects.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("projects", ROOT / ".github/scripts/projects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
