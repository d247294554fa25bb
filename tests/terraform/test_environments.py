"""environments/<env>/ differ only in values: same files, same keys, every key a declared
variable of its stack, environment matching the folder and listed in domain.yml."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest
import yaml

from .terraform_cli import REPO_ROOT, TF_DIR

pytestmark = pytest.mark.terraform

ENV_DIR = TF_DIR / "environments"
STACK_OF = {
    "baseline.tfvars": "baseline",
    "project.tfvars": "project",
    "bootstrap.tfvars": "bootstrap",
}


def _load(path: Path) -> dict:
    with path.open() as f:
        return hcl2.load(f)


def _declared(stack: str) -> set[str]:
    variables = _load(TF_DIR / stack / "variables.tf").get("variable", [])
    return {name for block in variables for name in block}


def test_environments_match_domain_yml_and_each_other():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    envs = sorted(p.name for p in ENV_DIR.iterdir() if p.is_dir())
    assert envs == sorted(domain["environments"])
    layouts = {env: sorted(p.name for p in (ENV_DIR / env).iterdir()) for env in envs}
    first = layouts[envs[0]]
    assert all(files == first for files in layouts.values()), layouts
    for name in first:
        keys = {env: sorted(_load(ENV_DIR / env / name)) for env in envs}
        assert len({tuple(k) for k in keys.values()}) == 1, f"{name} keys differ: {keys}"


@pytest.mark.parametrize("tfvars", sorted(STACK_OF))
def test_tfvars_only_set_declared_variables(tfvars):
    declared = _declared(STACK_OF[tfvars])
    for env_dir in sorted(p for p in ENV_DIR.iterdir() if p.is_dir()):
        values = _load(env_dir / tfvars)
        assert set(values) <= declared, f"{env_dir.name}/{tfvars}: {set(values) - declared}"
        assert values["environment"] == env_dir.name


def test_backend_config_names_the_state_bucket_of_its_environment():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    for env_dir in sorted(p for p in ENV_DIR.iterdir() if p.is_dir()):
        backend = _load(env_dir / "backend.hcl")
        prefix = f"{domain['country_code']}-{domain['abbreviation']}-{env_dir.name}-tfstate-"
        assert backend["bucket"].startswith(prefix)
        assert backend["region"] == domain["region"]
        assert backend["encrypt"] is True and backend["use_lockfile"] is True
