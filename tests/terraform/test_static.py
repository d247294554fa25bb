"""init from the committed lock files, fmt and validate of every root stack; one project root
for every project, nothing copied per project."""

from __future__ import annotations

from pathlib import Path

import pytest

from .terraform_cli import TF_DIR, domain_projects, root_stacks

pytestmark = pytest.mark.terraform


def test_fmt(terraform):
    """Every .tf, .tfvars and .tftest.hcl under terraform/ (the tests live beside their roots)."""
    proc = terraform.run(["fmt", "-check", "-recursive", "-diff"], cwd=TF_DIR, check=False)
    assert proc.returncode == 0, f"terraform fmt -check found unformatted files:\n{proc.stdout}"


def test_every_root_has_a_lock_file():
    for root in root_stacks():
        lock = root / ".terraform.lock.hcl"
        assert lock.exists(), f"{root} has no committed .terraform.lock.hcl"
        assert 'provider "registry.terraform.io/hashicorp/aws"' in lock.read_text()


@pytest.mark.parametrize("root", root_stacks(), ids=lambda p: str(p.relative_to(TF_DIR)))
def test_init_and_validate(terraform, root: Path, tmp_path):
    data = tmp_path / "tfdata"
    terraform.init_offline(root, data)
    terraform.run(["validate"], cwd=root, data_dir=data)


def test_no_stack_is_copied_per_project():
    """Every project is deployed by terraform/project with -var project=<name>: no folder of
    terraform/ other than the roots and modules holds Terraform code, and no file names a
    project of models/ (a project's stack comes only from its models/ and ingestion/jobs/)."""
    assert domain_projects(), "no project found under models/"
    assert not (TF_DIR / "projects").exists(), "terraform/projects/ is gone: one root for all"
    roots = {p.parent for p in TF_DIR.glob("*/*.tf")}
    assert roots == set(root_stacks()), f"root stacks: {sorted(map(str, roots))}"
    code = [p for p in TF_DIR.rglob("*.tf*") if ".terraform" not in p.parts]
    code = [p for p in code if p.suffix in (".tf", ".tfvars")]  # not the .tftest.hcl files
    for path in code:
        text = path.read_text()
        for project in domain_projects():
            named = f'"{project}"' in text or f"/{project}/" in text
            assert not named, f"{path.relative_to(TF_DIR)} names project {project}"
