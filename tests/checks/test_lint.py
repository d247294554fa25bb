"""The tree is lint-clean (`make lint`) and pre-commit-clean (`pre-commit run --all-files`).

Both run every linter for real, so they take a minute or two (the dbt templater compiles the
project once per sqlfluff run); they are the slowest tests of tests/ci.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import ROOT

from lakehouse.checks import lint

# Hooks that must find files to check in this repository (check-json may have none).
HOOK_IDS = [
    "trailing-whitespace",
    "end-of-file-fixer",
    "check-yaml",
    "check-merge-conflict",
    "check-added-large-files",
    "ruff",
    "ruff-format",
    "yamllint",
    "sqlfluff",
    "dbt-parse",
    "terraform-fmt",
    "actionlint",
    "zizmor",
]


def test_make_lint_is_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "lakehouse.checks.lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"make lint is not clean (run `make format`):\n{report[-6000:]}"
    for check in (c.name for c in lint.CHECKS.values() if not c.hook_only):
        skipped = f"lint: {check} skipped" in report and lint.CHECKS[check].optional
        assert f"lint: {check} ok" in report or skipped, f"{check} did not run:\n{report}"


def test_a_lint_finding_fails_with_the_check_named(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")  # unused import: F401
    proc = subprocess.run(
        [sys.executable, "-m", "lakehouse.checks.lint", "ruff", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "F401" in proc.stdout
    assert "lint: ruff FAILED (exit 1)" in proc.stdout
    assert "lint: failed: ruff" in proc.stdout


def test_sql_lint_renders_through_a_dummy_glue_target_without_aws():
    env = lint.SQLFLUFF_ENV
    assert env["DBT_TARGET"] == "dev"
    assert env["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:"), "never reach real AWS"
    config = (ROOT / ".sqlfluff").read_text()
    assert re.search(r"^templater = dbt$", config, re.M)
    assert re.search(r"^dialect = sparksql$", config, re.M)
    assert re.search(r"^max_line_length = 80$", config, re.M)
    ignored = (ROOT / ".sqlfluffignore").read_text().split()
    assert {"target/", "dbt_packages/", "logs/"} <= set(ignored)


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The working tree (tracked files and new ones git does not ignore: what `make lint` sees;
    in CI, the commit) in a scratch git repository, with the project's .venv linked in (the
    hooks run from it). The real checkout is never touched: the fixing hooks rewrite files."""
    copy = tmp_path_factory.mktemp("precommit") / "repo"
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    (copy / ".git" / "info" / "exclude").write_text("/.venv\n")  # a link, not the ignored dir
    subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
    return copy


def run_pre_commit(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(copy.parent / "pre-commit-home")}
    env["PRE_COMMIT_COLOR"] = "never"
    env.pop("DBT_TARGET", None)
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pre-commit"), *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def test_pre_commit_run_all_files_is_clean(tree_copy):
    proc = run_pre_commit(tree_copy, "run", "--all-files", "--show-diff-on-failure")
    assert proc.returncode == 0, f"pre-commit is not clean:\n{(proc.stdout + proc.stderr)[-6000:]}"
    for hook in HOOK_IDS:
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith(hook_name(hook))), "")
        assert line.endswith("Passed"), f"hook {hook} did not pass: {line!r}\n{proc.stdout}"


def test_make_hooks_installs_the_git_hook(tree_copy):
    make = subprocess.run(["make", "-n", "hooks"], cwd=ROOT, capture_output=True, text=True)
    assert ".venv/bin/pre-commit install" in make.stdout
    proc = run_pre_commit(tree_copy, "install")
    assert proc.returncode == 0, proc.stderr
    hook = (tree_copy / ".git" / "hooks" / "pre-commit").read_text()
    assert "pre-commit" in hook and ".pre-commit-config.yaml" in hook


def hook_name(hook_id: str) -> str:
    """The name pre-commit prints for a hook id (from .pre-commit-config.yaml)."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (local,) = config["repos"]
    return next(h["name"] for h in local["hooks"] if h["id"] == hook_id)


def test_checks_lint_the_whole_tree_or_the_given_files():
    sqlfluff = lint.CHECKS["sqlfluff"]
    whole = sqlfluff.command([])
    assert whole[1] == "lint" and "models" in whole[2:]
    assert sqlfluff.command(["models/x.sql"])[2:] == ["models/x.sql"]
    assert sqlfluff.fix(["models/x.sql"])[1:] == [
        "fix",
        "--disable-progress-bar",
        "--nofail",
        "models/x.sql",
    ]
    assert lint.CHECKS["ruff-format"].command([])[1:] == ["format", "--check", "."]
    assert lint.CHECKS["zizmor"].command([])[-1] == ".github/workflows"
    assert "--offline" in lint.CHECKS["zizmor"].command([])
    assert lint.CHECKS["actionlint"].command([])[1:] == ["-no-color"]  # finds .github itself


def test_make_lint_covers_the_issue_list_and_hooks_add_dbt_parse():
    in_make_lint = [c.name for c in lint.CHECKS.values() if not c.hook_only]
    assert in_make_lint == [
        "ruff",
        "ruff-format",
        "yamllint",
        "sqlfluff",
        "terraform-fmt",
        "actionlint",
        "zizmor",
    ]
    assert lint.CHECKS["dbt-parse"].hook_only
    only_optional = [c.name for c in lint.CHECKS.values() if c.optional]
    assert only_optional == ["terraform-fmt"], "a missing linter must fail, not pass silently"


def test_a_missing_required_tool_fails_and_an_optional_one_is_skipped(capsys):
    missing = lint.Check("ghost", lambda files: None)
    assert lint.run_check(missing) == 1
    optional = lint.Check(
        "ghost-optional", lambda files: None, optional=True, why_missing="no ghost"
    )
    assert lint.run_check(optional) == 0
    out = capsys.readouterr().out
    assert "lint: ghost FAILED: not installed: run  make setup-dev" in out
    assert "lint: ghost-optional skipped: no ghost" in out
