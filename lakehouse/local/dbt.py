"""Runs dbt in this process, so that it shares the process's one Spark session (one JVM); the
quality gate (lakehouse.gate) runs its stages through it in `make run`."""

from __future__ import annotations

from lakehouse_jobs.paths import repo_root

from lakehouse import ast_guard, environment


def run_dbt(*args: str, target: str = "local"):
    """`dbt <args> --target <target>`; returns dbt's result object, raises on a crash."""
    from dbt.cli.main import dbtRunner

    environment.defaults()
    if target == "local":
        from lakehouse.local import metastore

        metastore.ensure()  # dbt-spark's session opens the served metastore
    ast_guard.install()  # dbt's threads parse at once
    root = repo_root()
    result = dbtRunner().invoke([*args, "--target", target, "--project-dir", str(root)])
    if result.exception is not None:
        raise result.exception
    return result
