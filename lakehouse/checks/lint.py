"""`make lint` / `make format`: every linter of the repository, one implementation.

    python -m lakehouse.checks.lint                 # all checks, report each, exit 1 if any failed
    python -m lakehouse.checks.lint --fix           # apply what can be fixed, then check
    python -m lakehouse.checks.lint sqlfluff a.sql  # one check, on given files (pre-commit hooks)

Checks: ruff (lint + format), yamllint, sqlfluff (dbt templater, sparksql), terraform fmt,
actionlint and zizmor on the workflows. The pre-commit hooks call the same checks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What sqlfluff lints when given no files (the scope: models, snapshots, dbt tests).
SQL_PATHS = ("models", "snapshots", "tests/dbt", "analyses")
WORKFLOWS = ".github/workflows"

# The dbt templater renders through the dbt-glue `dev` target: no JVM, no AWS. The dummy
# endpoint makes sure a developer's real credentials are never used for relation lookups;
# they fail at once and dbt-glue treats the relation as absent (is_incremental() is false).
SQLFLUFF_ENV = {
    "DBT_PROFILES_DIR": str(ROOT / "profiles"),
    # Its own target folder: the local build's target/ (docs site, partial parse) stays intact.
    "DBT_TARGET_PATH": str(ROOT / "target" / "sqlfluff"),
    "DBT_TARGET": "dev",
    "DBT_DEVELOPER": "lint",
    "DBT_PROJECT": "lint",  # no project: every node renders with its shared schema
    "DBT_GLUE_ROLE_ARN": "arn:aws:iam::000000000000:role/sqlfluff-lint",
    "DBT_GLUE_LOCATION": "s3://sqlfluff-lint/",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "sqlfluff-lint",
    "AWS_SECRET_ACCESS_KEY": "sqlfluff-lint",  # a dummy, never a credential
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


# Builds a check's command line for the given files ([] = the whole tree); None: tool missing.
CommandBuilder = Callable[[Sequence[str]], list[str] | None]


@dataclass(frozen=True)
class Check:
    name: str
    command: CommandBuilder
    fix: CommandBuilder | None = None
    env: dict[str, str] | None = None
    optional: bool = False  # a missing tool skips the check (with one line) instead of failing
    hook_only: bool = False  # run by pre-commit only, not by `make lint`
    why_missing: str = "not installed: run  make setup-dev"


def tool(name: str) -> str | None:
    """A tool from this virtualenv first, else from PATH."""
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


def _sql_targets(files: Sequence[str]) -> list[str]:
    return list(files) or [p for p in SQL_PATHS if (ROOT / p).exists()]


def _sqlfluff(action: str) -> CommandBuilder:
    def build(files: Sequence[str]) -> list[str] | None:
        exe = tool("sqlfluff")
        if exe is None:
            return None
        options = ["--disable-progress-bar", "--nofail"] if action == "fix" else []
        return [exe, action, *options, *_sql_targets(files)]

    return build


def _files_or(default: str | None, name: str, *args: str) -> CommandBuilder:
    def build(files: Sequence[str]) -> list[str] | None:
        exe = tool(name)
        return None if exe is None else [exe, *args, *(files or ([default] if default else []))]

    return build


def _dbt_parse(files: Sequence[str]) -> list[str] | None:
    exe = tool("dbt")
    target = ROOT / "target" / "pre-commit"
    return None if exe is None else [exe, "parse", "--quiet", "--target-path", str(target)]


def _terraform(*args: str) -> CommandBuilder:
    def build(files: Sequence[str]) -> list[str] | None:
        exe = tool("terraform")
        return None if exe is None else [exe, "fmt", *args, *(files or ["-recursive", "terraform"])]

    return build


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check("ruff", _files_or(".", "ruff", "check"), _files_or(".", "ruff", "check", "--fix")),
        Check(
            "ruff-format",
            _files_or(".", "ruff", "format", "--check"),
            _files_or(".", "ruff", "format"),
        ),
        Check("yamllint", _files_or(".", "yamllint", "--strict")),
        Check("sqlfluff", _sqlfluff("lint"), _sqlfluff("fix"), env=SQLFLUFF_ENV),
        Check(
            "terraform-fmt",
            _terraform("-check", "-diff"),
            _terraform(),
            env={"TF_CLI_CONFIG_FILE": os.devnull},  # fmt needs no providers: no CLI config
            optional=True,
            why_missing="terraform is not on PATH (install Terraform >= 1.10 to check it)",
        ),
        Check("actionlint", _files_or(None, "actionlint", "-no-color")),
        Check("zizmor", _files_or(WORKFLOWS, "zizmor", "--offline", "--no-progress")),
        # The whole project must parse (refs, YAML, macros); the SQL checks above cannot see it.
        Check(
            "dbt-parse",
            _dbt_parse,
            env={"DBT_PROFILES_DIR": str(ROOT / "profiles")},
            hook_only=True,
        ),
    )
}


def run_check(check: Check, files: Sequence[str] = (), fix: bool = False) -> int:
    """Runs one check (its fixer first with fix=True); returns its exit code, 0 when skipped."""
    env = {**os.environ, **(check.env or {})}
    if fix and check.fix is not None:
        command = check.fix(files)
        if command is not None:
            subprocess.run(command, cwd=ROOT, env=env, check=False)
    command = check.command(files)
    if command is None:
        outcome = "skipped" if check.optional else "FAILED"
        print(f"lint: {check.name} {outcome}: {check.why_missing}")
        return 0 if check.optional else 1
    started = time.monotonic()
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    status = "ok" if code == 0 else f"FAILED (exit {code})"
    print(f"lint: {check.name} {status} ({time.monotonic() - started:.1f} s)", flush=True)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", nargs="?", choices=sorted(CHECKS), help="one check (default: all)")
    parser.add_argument("files", nargs="*", help="files to check (default: the whole tree)")
    parser.add_argument("--fix", action="store_true", help="apply the fixers first")
    args = parser.parse_args(argv)
    selected = (
        [CHECKS[args.check]] if args.check else [c for c in CHECKS.values() if not c.hook_only]
    )
    failed = [c.name for c in selected if run_check(c, args.files, fix=args.fix) != 0]
    if failed:
        print(f"lint: failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
