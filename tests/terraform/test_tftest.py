"""`terraform test` with a mocked AWS provider: the invariants of the baseline and of a
project stack (names, encryption, versioning, public access, TLS-only policies, tags,
per-project IAM scoping, job and pipeline wiring). The .tftest.hcl files live in
tests/terraform/tftest/ and are copied into a workspace copy of the stacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, make_workspace

pytestmark = pytest.mark.terraform

TFTEST = Path(__file__).resolve().parent / "tftest"


def _run_tests(terraform, root: Path, test_dir: Path, tmp_path: Path, args: list[str]) -> str:
    (root / "tests").mkdir(exist_ok=True)
    for f in test_dir.glob("*.tftest.hcl"):
        shutil.copy(f, root / "tests" / f.name)
    data = tmp_path / "tfdata"
    terraform.run(["init", "-backend=false", "-lockfile=readonly"], cwd=root, data_dir=data)
    proc = terraform.run(["test", *args], cwd=root, data_dir=data, check=False)
    assert proc.returncode == 0, f"terraform test failed:\n{proc.stdout[-8000:]}\n{proc.stderr}"
    assert "0 failed" in proc.stdout
    return proc.stdout


def test_baseline_invariants(terraform, tmp_path):
    tf = make_workspace(tmp_path / "ws")
    out = _run_tests(terraform, tf / "baseline", TFTEST / "baseline", tmp_path, [])
    assert "2 passed" in out


def test_project_invariants(terraform, tmp_path):
    tf = make_workspace(tmp_path / "ws")
    out = _run_tests(
        terraform,
        tf / "projects" / "sales",
        TFTEST / "project",
        tmp_path,
        [
            f"-var=source_root={FIXTURES / 'repo'}",
            f"-var=empty_root={json.dumps(str(FIXTURES / 'empty'))}",
        ],
    )
    assert "4 passed" in out
