"""The repository's GitHub workflows and deployment scripts, as the CI/CD tests read them."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from checkout import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load_workflow(path) -> dict:
    """A workflow as a dict. YAML 1.1 reads the `on:` key as True: give it its name back."""
    data = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow_files() -> list:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def script_module(name: str) -> ModuleType:
    """A script of .github/scripts/ as a module (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / ".github" / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stand_ins(tmp_path: Path, **scripts: str) -> dict[str, str]:
    """Stand-ins for CLIs the deployment scripts call (name => bash script), first on PATH; the
    environment to run a script with. The deploy runners have jq; the scripts need it."""
    if shutil.which("jq") is None:
        pytest.fail("jq is missing: the deploy runners have it; install it (apt-get install jq)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
