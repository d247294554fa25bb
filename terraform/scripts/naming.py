#!/usr/bin/env python3
"""Evaluate terraform/modules/naming and print (or return) its outputs as JSON.

For tests that check the Python, dbt and Terraform naming rules agree, and for humans:
    python terraform/scripts/naming.py dev 123456789012 [PROJECT [JOB ...]]
Needs the terraform binary (the module uses no provider: nothing is downloaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULE = HERE.parent / "modules" / "naming"
DOMAIN = HERE.parents[1] / "domain.yml"


def terraform_names(
    environment: str,
    account_id: str,
    project: str | None = None,
    jobs: list[str] | tuple[str, ...] = (),
    domain_config: Path = DOMAIN,
    terraform: str = "terraform",
) -> dict:
    """All outputs of the naming module for these inputs."""
    with tempfile.TemporaryDirectory(prefix="tf-naming-") as tmp:
        root = Path(tmp)
        args = {
            "domain_config_path": str(domain_config),
            "environment": environment,
            "account_id": account_id,
            "project": project,
            "jobs": list(jobs),
        }
        body = "\n".join(f"  {k} = {json.dumps(v)}" for k, v in args.items())
        (root / "main.tf").write_text(
            f'module "naming" {{\n  source = {json.dumps(str(MODULE))}\n{body}\n}}\n'
        )
        env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": os.devnull,
            "TF_IN_AUTOMATION": "1",
            "TF_DATA_DIR": str(root / ".terraform"),
        }
        subprocess.run(
            [terraform, "init", "-input=false", "-no-color"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        proc = subprocess.run(
            [terraform, "console", "-no-color"],
            cwd=root,
            env=env,
            input="jsonencode(module.naming)\n",
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(json.loads(proc.stdout.strip()))


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    project = argv[3] if len(argv) > 3 else None
    print(json.dumps(terraform_names(argv[1], argv[2], project, argv[4:]), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
