#!/usr/bin/env python3
"""Render the Terraform CLI configuration of this repo and tell where it is.

Usage:
    python terraform/scripts/tf_env.py            # prints: export TF_CLI_CONFIG_FILE=...
    eval "$(python terraform/scripts/tf_env.py)"  # then run terraform as usual
    python terraform/scripts/tf_env.py --print-mirror  # the mirror folder, empty if none

The provider mirror is taken from TF_PROVIDER_MIRROR (set it to "none" to force the public
registry), else from the first well-known folder holding registry.terraform.io/hashicorp/aws.
Used by terraform/terraform.mk and by tests/terraform (single implementation).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "terraform" / "cli.tfrc.tmpl"
DEFAULT_OUTPUT = REPO_ROOT / ".lakehouse" / "terraform" / "cli.tfrc"
MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
)
PROVIDER_SUBDIR = Path("registry.terraform.io") / "hashicorp" / "aws"


def _is_mirror(path: Path) -> bool:
    return (path / PROVIDER_SUBDIR).is_dir()


def find_mirror(environ: dict[str, str] | None = None) -> Path | None:
    """Return the provider mirror folder, or None when providers come from the registry."""
    env = os.environ if environ is None else environ
    override = env.get("TF_PROVIDER_MIRROR")
    if override is not None:
        if override.strip().lower() in ("", "none", "registry"):
            return None
        path = Path(override).expanduser()
        if not _is_mirror(path):
            raise SystemExit(
                f"TF_PROVIDER_MIRROR={override} holds no {PROVIDER_SUBDIR}: not a provider mirror"
            )
        return path.resolve()
    for candidate in MIRROR_CANDIDATES:
        path = Path(candidate).expanduser()
        if _is_mirror(path):
            return path.resolve()
    return None


def render(mirror: Path | None) -> str:
    text = TEMPLATE.read_text()
    block = re.compile(r"# BEGIN mirror\n.*?# END mirror\n", re.S)
    if mirror is None:
        return block.sub("", text)
    return text.replace("@MIRROR@", str(mirror))


def write_cli_config(
    output: Path = DEFAULT_OUTPUT, environ: dict[str, str] | None = None
) -> tuple[Path, Path | None]:
    """Render the CLI config to `output`; return (config path, mirror or None)."""
    mirror = find_mirror(environ)
    output.parent.mkdir(parents=True, exist_ok=True)
    content = render(mirror)
    if not output.exists() or output.read_text() != content:
        output.write_text(content)
    return output, mirror


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--print-mirror"]:
        mirror = find_mirror()
        print(mirror or "")
        return 0
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    path, mirror = write_cli_config(output)
    source = f"mirror {mirror}" if mirror else "public registry"
    print(f"# terraform providers from: {source}", file=sys.stderr)
    print(f"export TF_CLI_CONFIG_FILE={path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
