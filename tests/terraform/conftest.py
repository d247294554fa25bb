"""Shared helpers of the Terraform tests: locate terraform and the providers, run commands.

Every test here is marked `terraform`; where the terraform binary or a provider source is
missing they skip with one line saying what is missing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TF_DIR = REPO_ROOT / "terraform"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _load_tf_env():
    spec = importlib.util.spec_from_file_location("tf_env", TF_DIR / "scripts" / "tf_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tf_env_module = _load_tf_env()


def project_roots() -> list[Path]:
    """Project stacks, discovered from folders (the template is not deployed)."""
    return sorted(
        p
        for p in (TF_DIR / "projects").iterdir()
        if p.is_dir() and not p.name.startswith("_") and (p / "main.tf").exists()
    )


def root_stacks() -> list[Path]:
    return [TF_DIR / "bootstrap", TF_DIR / "baseline", *project_roots()]


NO_COLOR_COMMANDS = {"init", "validate", "plan", "apply", "destroy", "test", "show", "output"}


@dataclass
class Terraform:
    binary: str
    env: dict[str, str]
    mirror: Path | None

    def run(
        self,
        args: list[str],
        cwd: Path,
        data_dir: Path | None = None,
        check: bool = True,
        timeout: int = 600,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess:
        env = dict(self.env)
        if data_dir is not None:
            env["TF_DATA_DIR"] = str(data_dir)
        if extra_env:
            env.update(extra_env)
        if args and args[0] in NO_COLOR_COMMANDS:
            args = [args[0], "-no-color", *args[1:]]
        proc = subprocess.run(
            [self.binary, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"terraform {' '.join(args)} in {cwd} failed ({proc.returncode}):\n"
                f"{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
            )
        return proc


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


def make_workspace(dest: Path) -> Path:
    """Copy terraform/ and domain.yml into `dest` (tests add override and test files there,
    never in the working tree). Returns the copied terraform/ folder."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        TF_DIR,
        dest / "terraform",
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", "tests"),
    )
    shutil.copy(REPO_ROOT / "domain.yml", dest / "domain.yml")
    return dest / "terraform"
