""".github/scripts/apply_project.sh: the project stack is applied with the catalog's existing
refined/curated tables (AWS refuses an optimizer for a missing table) and the project's
generated dbt_access (the workflow's access artifact). `aws` and `terraform` are stand-ins on
PATH that answer like the CLIs and record what they were given."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from checkout import ROOT

from .workflows import stand_ins

SCRIPT = ROOT / ".github" / "scripts" / "apply_project.sh"

FAKE_AWS = """#!/usr/bin/env bash
# aws glue get-tables --database-name <db> --query ... --output json
db="$4"
case "$db" in
  cmr_refined) echo '["orders", "lineitems"]' ;;
  cmr_curated) echo '[]' ;;
  *) echo "An error occurred (EntityNotFoundException): Database $db not found" >&2; exit 254 ;;
esac
"""
FAKE_TERRAFORM = """#!/usr/bin/env bash
echo "$PWD|$*|${TF_VAR_existing_tables:-unset}" >> "$CALLS"
"""


@pytest.fixture
def fake_clis(tmp_path):
    env = stand_ins(tmp_path, aws=FAKE_AWS, terraform=FAKE_TERRAFORM)
    calls = tmp_path / "calls.txt"
    access = tmp_path / "access"  # the deploy workflow's access artifact
    access.mkdir()
    for name in ("domain", "sales"):
        (access / f"{name}.tfvars.json").write_text("{}")
    env |= {"CALLS": str(calls), "DEPLOY_ENV": "dev", "TF_DBT_ACCESS_DIR": str(access)}
    return env, calls


def test_the_stack_gets_the_existing_tables_then_init_and_apply(fake_clis):
    env, calls = fake_clis
    subprocess.run(["bash", str(SCRIPT), "sales"], env=env, check=True, capture_output=True)
    init, apply = [line.split("|") for line in calls.read_text().splitlines()]
    stack = ROOT / "terraform" / "project"  # through tf-stack.sh: the one project root
    assert init[1].startswith(f"-chdir={stack} init -input=false -lockfile=readonly")
    assert "key=projects/sales.tfstate" in init[1]
    values = ROOT / "terraform" / "environments" / "dev" / "project.tfvars"
    access = f"{env['TF_DBT_ACCESS_DIR']}/sales.tfvars.json"
    assert apply[1] == (
        f"-chdir={stack} apply -var-file={values} -var-file={access} "
        "-var=project=sales -auto-approve"
    )
    assert json.loads(apply[2]) == ["cmr_refined.orders", "cmr_refined.lineitems"]


def test_without_the_access_artifact_nothing_is_applied(fake_clis):
    """A deployment applies the access files of its commit, never regenerated ones."""
    env, calls = fake_clis
    env = {k: v for k, v in env.items() if k != "TF_DBT_ACCESS_DIR"}
    done = subprocess.run(["bash", str(SCRIPT), "sales"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "TF_DBT_ACCESS_DIR" in done.stderr
    assert not calls.exists()


def test_a_catalog_error_stops_before_terraform(fake_clis, tmp_path):
    """An unreadable catalog must not look like 'no tables' (that would destroy optimizers)."""
    env, calls = fake_clis
    domain = tmp_path / "repo"
    shutil.copytree(ROOT / ".github", domain / ".github")
    (domain / "domain.yml").write_text("abbreviation: xyz # unknown databases\n")
    done = subprocess.run(
        ["bash", str(domain / ".github" / "scripts" / "apply_project.sh"), "sales"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "EntityNotFoundException" in done.stderr
    assert not calls.exists()
