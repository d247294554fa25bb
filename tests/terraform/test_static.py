"""init from the committed lock files, fmt and validate of every root stack; template rules."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from .conftest import TF_DIR, make_workspace, project_roots, root_stacks

pytestmark = pytest.mark.terraform


def test_fmt(terraform):
    proc = terraform.run(["fmt", "-check", "-recursive", "-diff"], cwd=TF_DIR, check=False)
    assert proc.returncode == 0, f"terraform fmt -check found unformatted files:\n{proc.stdout}"


def test_every_root_has_a_lock_file():
    for root in [*root_stacks(), TF_DIR / "projects" / "_template"]:
        lock = root / ".terraform.lock.hcl"
        assert lock.exists(), f"{root} has no committed .terraform.lock.hcl"
        assert 'provider "registry.terraform.io/hashicorp/aws"' in lock.read_text()


@pytest.mark.parametrize("root", root_stacks(), ids=lambda p: str(p.relative_to(TF_DIR)))
def test_init_and_validate(terraform, root: Path, tmp_path):
    data = tmp_path / "tfdata"
    terraform.run(["init", "-backend=false", "-lockfile=readonly"], cwd=root, data_dir=data)
    terraform.run(["validate"], cwd=root, data_dir=data)


def test_projects_are_plain_copies_of_the_template():
    template = TF_DIR / "projects" / "_template"
    names = sorted(p.name for p in template.iterdir() if p.is_file())
    for project in project_roots():
        _, mismatch, errors = filecmp.cmpfiles(template, project, names, shallow=False)
        assert not mismatch and not errors, (
            f"{project.name} differs from _template in {mismatch + errors}: project stacks "
            "must stay plain copies (the name comes from the folder)"
        )
        extra = {p.name for p in project.iterdir() if p.is_file()} - set(names)
        assert not extra, f"{project.name} has files the template lacks: {extra}"


def test_template_copy_is_a_valid_project(terraform, tmp_path):
    """What `make new-project NAME=x` does (a plain copy) gives a valid stack named x."""
    tf = make_workspace(tmp_path / "repo")
    new = tf / "projects" / "newproj"
    shutil.copytree(tf / "projects" / "_template", new)
    data = tmp_path / "tfdata"
    terraform.run(["init", "-backend=false", "-lockfile=readonly"], cwd=new, data_dir=data)
    terraform.run(["validate"], cwd=new, data_dir=data)
