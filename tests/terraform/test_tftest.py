"""`terraform test` with a mocked AWS provider: the invariants of the baseline and of the
project root (names, encryption, versioning, public access, TLS-only policies, tags,
per-project IAM scoping, job and pipeline wiring, one root for any project name). The
.tftest.hcl files live beside their roots (terraform/<root>/tests/), where plain
`terraform test` finds them; it runs in the working tree, which it does not write to (the
data folder is a temporary one), and the test checks that."""

from __future__ import annotations

import subprocess

import pytest

from .terraform_cli import REPO_ROOT, TF_DIR

pytestmark = pytest.mark.terraform


def _untracked(folder) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", str(folder)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(("root", "runs"), [("baseline", 6), ("project", 14)])
def test_terraform_test_in_the_root(terraform, tmp_path, root, runs):
    folder = TF_DIR / root
    before = _untracked(folder)
    terraform.init_offline(folder, tmp_path / "tfdata")
    proc = terraform.run(["test"], cwd=folder, data_dir=tmp_path / "tfdata", check=False)
    assert proc.returncode == 0, f"terraform test failed:\n{proc.stdout[-8000:]}\n{proc.stderr}"
    assert f"{runs} passed, 0 failed" in proc.stdout
    assert _untracked(folder) == before, "terraform test wrote into the working tree"
