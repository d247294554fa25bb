"""Fixtures of the Terraform tests (the helpers are in terraform_cli.py).

Every test here is marked `terraform`; where the terraform binary or a provider source is
missing they skip with one line saying what is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .terraform_cli import (
    FIXTURES,
    Terraform,
    access_files,
    repository_manifest,
    tf_env_module,
)


@pytest.fixture(scope="session")
def terraform(tmp_path_factory) -> Terraform:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform binary not found on PATH")
    cli_config, mirror = tf_env_module.write_cli_config(
        tmp_path_factory.mktemp("tfcli") / "cli.tfrc"
    )
    if mirror is None and os.environ.get("TF_TESTS_ALLOW_REGISTRY") != "1":
        pytest.skip(
            "no Terraform provider mirror found (set TF_PROVIDER_MIRROR, or "
            "TF_TESTS_ALLOW_REGISTRY=1 to use the public registry)"
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update(
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "NO_COLOR": "1",
            # One copy of the (large) provider per session; every init links to it.
            "TF_PLUGIN_CACHE_DIR": str(tmp_path_factory.mktemp("tfplugins")),
        }
    )
    return Terraform(binary=binary, env=env, mirror=mirror)


@pytest.fixture(scope="session")
def repository_access(tmp_path_factory) -> Path:
    """The access files of the repository's own dbt project (dbt parse + project_access)."""
    work = tmp_path_factory.mktemp("access")
    return access_files(repository_manifest(work), work / "access")


@pytest.fixture(scope="session")
def fixture_access(tmp_path_factory) -> Path:
    """The access files of the fixture repository (tests/terraform/fixtures/manifest.json)."""
    return access_files(FIXTURES / "manifest.json", tmp_path_factory.mktemp("fixture-access"))
