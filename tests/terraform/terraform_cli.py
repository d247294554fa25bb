"""Helpers of the Terraform tests: where the stacks are, the terraform command line, a
workspace copy of terraform/ for tests that write files. The fixtures are in conftest.py."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from checkout import ROOT as REPO_ROOT

from lakehouse import projects
from lakehouse.parity.aws_plan import copy_stacks
from lakehouse.release import project_access

TF_DIR = REPO_ROOT / "terraform"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The root stacks: bootstrap and baseline once per environment, project once per project
# (-var project=<name>, state key projects/<name>.tfstate).
ROOT_STACKS = ("bootstrap", "baseline", "project")


def _load_tf_env():
    spec = importlib.util.spec_from_file_location("tf_env", TF_DIR / "scripts" / "tf_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tf_env_module = _load_tf_env()


def root_stacks() -> list[Path]:
    return [TF_DIR / name for name in ROOT_STACKS]


def domain_projects() -> list[str]:
    """The projects of the repository (folders of models/), as the deployment finds them."""
    return projects.projects(REPO_ROOT)


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

    def init_offline(self, root: Path, data_dir: Path) -> None:
        """init without a backend, providers from the committed lock file only."""
        self.run(["init", "-backend=false", "-lockfile=readonly"], cwd=root, data_dir=data_dir)


def make_workspace(dest: Path) -> Path:
    """Copy terraform/ and domain.yml into `dest` (tests add override files and state there,
    never in the working tree). Returns the copied terraform/ folder."""
    return copy_stacks(dest, REPO_ROOT)


def access_files(manifest: Path, out: Path) -> Path:
    """The generated tfvars of every stack (lakehouse.release.project_access) for a manifest:
    out/<project>.tfvars.json (dbt_access) and out/domain.tfvars.json (pipeline_stages)."""
    project_access.write(manifest, out)
    return out


def repository_manifest(out: Path) -> Path:
    """The repository's dbt manifest, as the deployment makes it: `dbt parse` on the local
    target (no AWS)."""
    dbt = Path(sys.executable).with_name("dbt")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "AWS_"))}
    env = clean | {"DBT_PROFILES_DIR": "profiles", "LAKEHOUSE_DIR": str(out / "lakehouse")}
    command = [str(dbt), "parse", "--target", "local", "--target-path", str(out / "target")]
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise AssertionError(f"dbt parse failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}")
    return out / "target" / "manifest.json"
