"""Runs dbt in this process, so that it shares the process's one Spark session (one JVM)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, repo_root

# The data products other domains read; promoted only after everything below them passed.
CURATED = "path:models/*/curated"


def dbt_env() -> None:
    """What dbt needs to find the project, its profile and the lakehouse."""
    root = repo_root()
    os.environ.setdefault("DBT_PROFILES_DIR", str(root / "profiles"))
    os.environ["LAKEHOUSE_DIR"] = str(lakehouse_dir())


def target_dir() -> Path:
    """Where dbt writes manifest, run results and the docs site (DBT_TARGET_PATH wins)."""
    return Path(os.environ.get("DBT_TARGET_PATH") or repo_root() / "target")


def run_dbt(*args: str, target: str = "local"):
    """`dbt <args> --target <target>`; returns dbt's result object, raises on a crash."""
    from dbt.cli.main import dbtRunner

    dbt_env()
    root = repo_root()
    result = dbtRunner().invoke([*args, "--target", target, "--project-dir", str(root)])
    if result.exception is not None:
        raise result.exception
    return result


@dataclass
class StagedBuild:
    """The outcome of build_then_promote: success, and every node's result of both steps."""

    success: bool
    result: list = field(default_factory=list)


def build_then_promote(select: str | None = None, target: str = "local") -> StagedBuild:
    """`dbt build` in two steps: everything but the curated layer, with all tests; then the
    curated layer, only when every test of the first step passed. dbt build alone would still
    promote a curated model whose own parents passed when a test joining two refined models
    (a relationship) failed; this way any failed test keeps every curated table as it was.
    `select` (one selector) narrows both steps."""
    first = ["build", "--exclude", CURATED] + (["--select", select] if select else [])
    audited = run_dbt(*first, target=target)
    results = list(audited.result or [])
    if not audited.success:
        return StagedBuild(False, results)
    promote = f"{select},{CURATED}" if select else CURATED
    promoted = run_dbt("build", "--select", promote, target=target)
    return StagedBuild(promoted.success, results + list(promoted.result or []))
