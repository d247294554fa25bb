"""Keeps dbt_project.yml's `vars.domain` equal to domain.yml (dbt cannot read another file).

python -m lakehouse.scaffold.domain_sync           exit 1 and say what differs when out of sync
python -m lakehouse.scaffold.domain_sync --write   rewrite the block from domain.yml
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.paths import repo_root

# The keys dbt's macros use (naming rules); the rest of domain.yml is for Terraform and Python.
DBT_KEYS = ("name", "abbreviation", "country_code", "layers")
BLOCK = re.compile(r"(  # GENERATED from domain\.yml.*\n  domain:\n)((?:    .*\n)+)")


def expected_block() -> str:
    domain = load_domain()
    lines = []
    for key in DBT_KEYS:
        value = getattr(domain, key)
        text = "[" + ", ".join(value) + "]" if isinstance(value, tuple) else str(value)
        lines.append(f"    {key}: {text}\n")
    return "".join(lines)


def differences(project_file: Path) -> list[str]:
    current = (yaml.safe_load(project_file.read_text()).get("vars") or {}).get("domain") or {}
    domain = load_domain()
    wanted = {
        k: list(v) if isinstance(v, tuple) else v for k in DBT_KEYS for v in [getattr(domain, k)]
    }
    return [
        f"{k}: dbt_project.yml has {current.get(k)!r}, domain.yml {wanted[k]!r}"
        for k in DBT_KEYS
        if current.get(k) != wanted[k]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    project_file = repo_root() / "dbt_project.yml"
    if args.write:
        text = project_file.read_text()
        if not BLOCK.search(text):
            raise SystemExit(f"{project_file}: the GENERATED vars.domain block is missing")
        project_file.write_text(BLOCK.sub(lambda m: m.group(1) + expected_block(), text, count=1))
    diffs = differences(project_file)
    for line in diffs:
        print(f"out of sync: {line} (run `make domain-sync`)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
