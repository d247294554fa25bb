"""terraform/scripts/tf-stack.sh: one root for every project, each project with its own state
key and its own data folder; a removed project is destroyed with the same root. `terraform`
is a stand-in on PATH that records what it was given, in a copy of the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .terraform_cli import REPO_ROOT, domain_projects, make_workspace

pytestmark = pytest.mark.terraform

FAKE_TERRAFORM = """#!/usr/bin/env bash
echo "${TF_DATA_DIR}|$*" >> "$CALLS"
"""


@pytest.fixture
def stack(tmp_path):
    """Runs tf-stack.sh in a copy of terraform/, lakehouse/projects.py and models/<project>/."""
    checkout = tmp_path / "checkout"
    make_workspace(checkout)
    (checkout / "lakehouse").mkdir()
    for name in ("__init__.py", "projects.py"):
        shutil.copy(REPO_ROOT / "lakehouse" / name, checkout / "lakehouse" / name)
    for project in [*domain_projects(), "shared"]:
        (checkout / "models" / project).mkdir(parents=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "terraform").write_text(FAKE_TERRAFORM)
    (bin_dir / "terraform").chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CALLS": str(calls)}

    def run(*args: str) -> tuple[subprocess.CompletedProcess, list[tuple[str, str]]]:
        calls.unlink(missing_ok=True)
        script = checkout / "terraform" / "scripts" / "tf-stack.sh"
        done = subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True)
        recorded = calls.read_text().splitlines() if calls.exists() else []
        return done, [tuple(line.split("|", 1)) for line in recorded]

    run.tf = checkout / "terraform"
    return run


def test_every_project_gets_its_state_key_and_data_folder(stack):
    tf = stack.tf
    folders = set()
    for env in ("dev", "prod"):
        for project in domain_projects():
            done, calls = stack(env, "project", project, "plan", "-out=tfplan")
            assert done.returncode == 0, done.stderr
            (data, init), (data_plan, plan) = calls
            assert data == data_plan == str(tf / "project" / ".terraform" / env / project)
            folders.add(data)
            assert init.startswith(f"-chdir={tf / 'project'} init ")
            assert f"-backend-config={tf / 'environments' / env / 'backend.hcl'}" in init
            assert f"-backend-config=key=projects/{project}.tfstate" in init
            assert "-lockfile=readonly" in init
            values = tf / "environments" / env / "project.tfvars"
            expected = f"plan -var-file={values} -var=project={project} -out=tfplan"
            assert plan == f"-chdir={tf / 'project'} {expected}"
    assert len(folders) == 2 * len(domain_projects()), "two stacks share an initialised folder"


def test_a_removed_project_is_destroyed_with_the_same_root(stack):
    tf = stack.tf
    done, calls = stack("dev", "project", "returns", "destroy", "-auto-approve")
    assert done.returncode == 0, done.stderr
    (data, init), (_, destroy) = calls
    assert data == str(tf / "project" / ".terraform" / "dev" / "returns")
    assert "-backend-config=key=projects/returns.tfstate" in init
    values = tf / "environments" / "dev" / "project.tfvars"
    expected = f"destroy -var-file={values} -var=project=returns -auto-approve"
    assert destroy == f"-chdir={tf / 'project'} {expected}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dev", "project", "returns", "apply"), "no project returns: not a folder of models/"),
        (("dev", "project", "shared", "plan"), "no project shared"),
        (("dev", "project", "../baseline", "destroy"), "not a project name"),
        (("dev", "project", "plan"), "Usage"),
        (("dev", "projects/sales", "plan"), "unknown stack"),
    ],
)
def test_plan_and_apply_only_for_a_project_of_models(stack, args, message):
    done, calls = stack(*args)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert calls == []


def test_baseline_has_one_data_folder_per_environment(stack):
    done, calls = stack("int", "baseline", "apply")
    assert done.returncode == 0, done.stderr
    (data, init), (_, apply) = calls
    assert data == str(stack.tf / "baseline" / ".terraform" / "int")
    assert "-backend-config=key=baseline.tfstate" in init
    assert apply.endswith(f"apply -var-file={stack.tf / 'environments/int/baseline.tfvars'}")
