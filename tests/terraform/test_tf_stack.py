"""terraform/scripts/tf-stack.sh: one root for every project, each project with its own state
key and its own data folder; a removed project is destroyed with the same root; the baseline
and every project get their generated access file (TF_DBT_ACCESS_DIR, or generated from a
`dbt parse`). `terraform` (and `dbt`) are stand-ins on PATH that record what they were given,
in a copy of the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .terraform_cli import FIXTURES, REPO_ROOT, domain_projects, make_workspace

pytestmark = pytest.mark.terraform

FAKE_TERRAFORM = """#!/usr/bin/env bash
echo "${TF_DATA_DIR}|$*" >> "$CALLS"
for arg in "$@"; do  # what a generated var file held while terraform ran
  case "$arg" in -var-file=*.tfvars.json) cat "${arg#-var-file=}" >> "$CALLS.vars" ;; esac
done
"""
# dbt parse --target local --target-path DIR: the fixture repository's manifest
FAKE_DBT = """#!/usr/bin/env bash
echo "$PWD|$DBT_PROFILES_DIR|$*" >> "$CALLS.dbt"
mkdir -p "$5" && cp "$MANIFEST" "$5/manifest.json"
"""


@pytest.fixture
def stack(tmp_path):
    """Runs tf-stack.sh in a copy of terraform/, lakehouse/projects.py and models/<project>/."""
    checkout = tmp_path / "checkout"
    make_workspace(checkout)
    for name in (
        "__init__.py",
        "host_name.py",
        "projects.py",
        "release/__init__.py",
        "release/project_access.py",
    ):
        (checkout / "lakehouse" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "lakehouse" / name, checkout / "lakehouse" / name)
    for project in [*domain_projects(), "shared"]:
        (checkout / "models" / project).mkdir(parents=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("terraform", FAKE_TERRAFORM), ("dbt", FAKE_DBT)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    calls = tmp_path / "calls.txt"
    access = tmp_path / "access"  # what the deploy workflow's access job uploads
    access.mkdir()
    (access / "domain.tfvars.json").write_text(
        '{"pipeline_stages": [[{"project": "sales", "stage": "upstream"}]]}'
    )
    (access / "sales.tfvars.json").write_text(json.dumps({"dbt_access": {"reads": "sales"}}))
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS": str(calls),
        "MANIFEST": str(FIXTURES / "manifest.json"),
        "TF_DBT_ACCESS_DIR": str(access),
    }

    def run(*args: str, **extra: str) -> tuple[subprocess.CompletedProcess, list[tuple[str, str]]]:
        for recorded in (
            calls,
            calls.with_name("calls.txt.vars"),
            calls.with_name("calls.txt.dbt"),
        ):
            recorded.unlink(missing_ok=True)
        script = checkout / "terraform" / "scripts" / "tf-stack.sh"
        environment = {k: v for k, v in (env | extra).items() if v is not None}
        done = subprocess.run(
            ["bash", str(script), *args], env=environment, capture_output=True, text=True
        )
        recorded = calls.read_text().splitlines() if calls.exists() else []
        return done, [tuple(line.split("|", 1)) for line in recorded]

    run.tf = checkout / "terraform"
    run.checkout = checkout
    run.access = access
    run.vars = calls.with_name("calls.txt.vars")
    run.dbt = calls.with_name("calls.txt.dbt")
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
            generated = stack.access / f"{project}.tfvars.json"
            if not generated.exists():  # a project without dbt nodes: a file of no access
                assert f"no dbt access of project {project}" in done.stderr
                generated = plan.split("-var-file=")[2].split()[0]
            expected = (
                f"plan -var-file={values} -var-file={generated} -var=project={project} -out=tfplan"
            )
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
    assert destroy.startswith(f"-chdir={tf / 'project'} destroy -var-file={values} -var-file=")
    assert destroy.endswith("/returns.tfvars.json -var=project=returns -auto-approve")
    # a removed project is in no manifest: it is destroyed with a dbt_access of nothing
    assert json.loads(stack.vars.read_text())["dbt_access"]["builds"]["refined"] == []


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
    values = stack.tf / "environments/int/baseline.tfvars"
    assert apply.endswith(
        f"apply -var-file={values} -var-file={stack.access / 'domain.tfvars.json'}"
    )


def test_without_an_access_folder_the_files_are_generated_from_the_manifest(stack):
    done, calls = stack("dev", "project", "sales", "plan", TF_DBT_ACCESS_DIR=None)
    assert done.returncode == 0, done.stderr
    generated = stack.checkout / ".lakehouse" / "terraform" / "access"
    (_, plan) = calls[1]
    assert f"-var-file={generated / 'sales.tfvars.json'} -var=project=sales" in plan
    # dbt parse in the checkout, on the local target, then lakehouse.release.project_access
    (parse,) = stack.dbt.read_text().splitlines()
    where, profiles, args = parse.split("|")
    assert (where, profiles) == (str(stack.checkout), "profiles")
    assert args.startswith("parse --target local --target-path ")
    access = json.loads((generated / "sales.tfvars.json").read_text())["dbt_access"]
    assert access["reads"] == [{"project": "customers", "layer": "refined", "table": "customers"}]
    assert json.loads((generated / "domain.tfvars.json").read_text())["pipeline_stages"]


def test_a_folder_that_is_not_generated_is_refused(stack, tmp_path):
    done, calls = stack("dev", "baseline", "plan", TF_DBT_ACCESS_DIR=str(tmp_path / "nothing"))
    assert done.returncode == 2 and "holds no domain.tfvars.json" in done.stderr
    assert calls == []


def test_commands_that_take_no_variables_get_no_access_file(stack):
    done, calls = stack("dev", "project", "sales", "output", "-json", TF_DBT_ACCESS_DIR=None)
    assert done.returncode == 0, done.stderr
    assert calls[1][1].endswith("output -json")
    assert not stack.dbt.exists(), "no dbt parse for a command without variables"
