"""Runs dbt in this process, so that it shares the process's one Spark session (one JVM)."""

from __future__ import annotations

import os

from lakehouse_jobs.paths import lakehouse_dir, repo_root


def dbt_env() -> None:
    """What dbt needs to find the project, its profile and the lakehouse."""
    root = repo_root()
    os.environ.setdefault("DBT_PROFILES_DIR", str(root / "profiles"))
    os.environ["LAKEHOUSE_DIR"] = str(lakehouse_dir())


def run_dbt(*args: str, target: str = "local"):
    """`dbt <args> --target <target>`; returns dbt's result object, raises on a crash."""
    from dbt.cli.main import dbtRunner

    dbt_env()
    root = repo_root()
    result = dbtRunner().invoke([*args, "--target", target, "--project-dir", str(root)])
    if result.exception is not None:
        raise result.exception
    return result
