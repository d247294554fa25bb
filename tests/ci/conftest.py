"""Fixtures of the CI/CD tests; the helpers are in tests/ci/workflows.py."""

from __future__ import annotations

import pytest
from checkout import ROOT  # noqa: F401 - the suites' tests import it from here too

from .workflows import load_workflow, script_module, workflow_files


@pytest.fixture(scope="session")
def workflows() -> dict[str, dict]:
    return {path.name: load_workflow(path) for path in workflow_files()}


@pytest.fixture(scope="session")
def projects_script():
    """.github/scripts/projects.py as a module."""
    return script_module("projects")
