"""The IAM of the AWS stacks as Terraform renders it, offline: `terraform plan` of the baseline
and of every project against a moto server, read back as `terraform show -json`. glue-local
enforces exactly those policies (lakehouse.glue_local.principals):

    rendered = render_stacks(work, access_dir)  # access_dir: project_access --out DIR
    principals = Principals.from_terraform(list(rendered.projects.values()), rendered.account_id)

moto stands in for AWS only where a plan reads it: the provider's account lookup and the
domain key the project stacks find by its alias (created here, nothing else is). The stacks
are copied into `work` with the moto override (the checkout is never written); every stack
initialises from the committed lock files (`-lockfile=readonly`) through one plugin cache.

    python -m lakehouse.parity.aws_plan --access DIR [--work DIR] [--environment dev]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse import projects
from lakehouse.parity.moto_server import MotoServer

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_NEEDED = (
    "make parity needs terraform >= 1.10 on PATH: it renders the IAM policies glue-local enforces"
)
MIN_VERSION = (1, 10)
# what a project whose dbt nodes build and read nothing is given (project_access writes no
# file for it)
NO_ACCESS = {"builds": {"staging": [], "refined": [], "curated": [], "audit": []}, "reads": []}


class TerraformMissing(RuntimeError):
    pass


@dataclass
class Rendered:
    account_id: str
    baseline: dict  # terraform show -json of the baseline's plan
    projects: dict[str, dict]  # project => terraform show -json of its plan
    seconds: dict[str, float] = field(default_factory=dict)


def terraform_binary() -> str:
    """The terraform on PATH, >= 1.10, or TerraformMissing (one line)."""
    binary = shutil.which("terraform")
    if binary is None:
        raise TerraformMissing(TERRAFORM_NEEDED)
    version = subprocess.run(
        [binary, "version", "-json"], capture_output=True, text=True, timeout=60
    )
    found = re.match(
        r"(\d+)\.(\d+)", json.loads(version.stdout or "{}").get("terraform_version", "")
    )
    if found is None or tuple(map(int, found.groups())) < MIN_VERSION:
        raise TerraformMissing(TERRAFORM_NEEDED)
    return binary


def copy_stacks(dest: Path, root: Path = ROOT) -> Path:
    """terraform/ and domain.yml copied into `dest` (without initialised folders or states), for
    override files and states that must never land in the checkout. Returns dest/terraform."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        root / "terraform",
        dest / "terraform",
        ignore=shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*"),
        dirs_exist_ok=True,
    )
    shutil.copy(root / "domain.yml", dest / "domain.yml")
    return dest / "terraform"


def _tf_env_module():
    spec = importlib.util.spec_from_file_location("tf_env", ROOT / "terraform/scripts/tf_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def terraform_environment(work: Path, plugin_cache: Path) -> dict[str, str]:
    """The process environment of every terraform run: the repository's CLI configuration
    (the provider mirror when there is one), one plugin cache, no AWS credentials of the
    caller (the moto override carries dummy ones)."""
    cli_config, _ = _tf_env_module().write_cli_config(work / "cli.tfrc")
    plugin_cache.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    return env | {
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_PLUGIN_CACHE_DIR": str(plugin_cache),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }


def _access_file(access_dir: Path, project: str, work: Path) -> Path:
    generated = access_dir / f"{project}.tfvars.json"
    if generated.is_file():
        return generated
    empty = work / "access" / f"{project}.tfvars.json"
    empty.parent.mkdir(parents=True, exist_ok=True)
    empty.write_text(json.dumps({"dbt_access": NO_ACCESS}))
    return empty


def _prepare_moto(moto: MotoServer, environment: str, root: Path) -> str:
    """What the plans' data sources read: the domain key by its alias. Returns the account."""
    from lakehouse_jobs.domain import load_domain

    kms = moto.client("kms")
    key = kms.create_key(Description="domain key (lakehouse.parity.aws_plan)")["KeyMetadata"]
    alias = f"alias/{load_domain(root / 'domain.yml').abbreviation}-{environment}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    return moto.client("sts").get_caller_identity()["Account"]


def render_stacks(
    work: Path,
    access_dir: Path,
    environment: str = "dev",
    root: Path = ROOT,
    plugin_cache: Path | None = None,
) -> Rendered:
    """Plan the baseline and every project (lakehouse.projects) against moto, with the
    generated access files of `access_dir`; the plans as `terraform show -json`."""
    binary = terraform_binary()
    started = time.monotonic()
    seconds: dict[str, float] = {}
    work.mkdir(parents=True, exist_ok=True)
    stacks = copy_stacks(work / "ws", root)
    env = terraform_environment(work, plugin_cache or work / "plugins")
    names = projects.projects(root)
    values = stacks / "environments" / environment

    def terraform(args: list[str], cwd: Path, data: Path) -> str:
        done = subprocess.run(
            [binary, *args],
            cwd=cwd,
            env=env | {"TF_DATA_DIR": str(data)},
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"terraform {args[0]} in {cwd} failed ({done.returncode}):\n"
                f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
            )
        return done.stdout

    with MotoServer(work / "moto.log") as moto:
        account = _prepare_moto(moto, environment, root)
        seconds["moto"] = round(time.monotonic() - started, 1)
        plans = work / "plans"
        plans.mkdir(exist_ok=True)
        roots = {"baseline": stacks / "baseline", "project": stacks / "project"}
        for name, folder in roots.items():
            (folder / "moto_override.tf").write_text(moto.override(work / f"{name}.tfstate"))

        def init(name: str) -> str:
            return terraform(["init", "-no-color", "-lockfile=readonly"], roots[name], work / name)

        def plan(stack: str, extra: list[str]) -> dict:
            kind = "baseline" if stack == "baseline" else "project"
            folder, data = roots[kind], work / kind
            out = plans / (f"{kind}.tfplan" if kind == "baseline" else f"project-{stack}.tfplan")
            terraform(["plan", "-no-color", "-lock=false", f"-out={out}", *extra], folder, data)
            return json.loads(terraform(["show", "-json", str(out)], folder, data))

        stack_vars = {
            "baseline": [
                f"-var-file={values / 'baseline.tfvars'}",
                f"-var-file={access_dir / 'domain.tfvars.json'}",
            ]
        }
        for project in names:
            stack_vars[project] = [
                f"-var-file={values / 'project.tfvars'}",
                f"-var=project={project}",
                f"-var-file={_access_file(access_dir, project, work)}",
                f"-var=source_root={root}",
            ]
        begin = time.monotonic()
        for name in roots:  # one after the other: two inits filling one plugin cache collide
            init(name)
        seconds["init"] = round(time.monotonic() - begin, 1)
        with ThreadPoolExecutor(max_workers=4) as pool:
            begin = time.monotonic()
            shown = pool.map(plan, stack_vars, stack_vars.values())
            shows = dict(zip(stack_vars, shown, strict=True))
            seconds["plan and show"] = round(time.monotonic() - begin, 1)
    seconds["total"] = round(time.monotonic() - started, 1)
    baseline = shows.pop("baseline")
    return Rendered(account, baseline, shows, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--access", type=Path, required=True, help="project_access's --out")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--environment", default="dev")
    parser.add_argument("--out", type=Path, help="write <stack>.json of every plan here")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="aws-plan-") as tmp:
            rendered = render_stacks(args.work or Path(tmp), args.access, args.environment)
    except TerraformMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, show in {"baseline": rendered.baseline, **rendered.projects}.items():
            (args.out / f"{name}.json").write_text(json.dumps(show))
    print(f"rendered the baseline and {len(rendered.projects)} projects: {rendered.seconds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
