"""Runs dbt in this process, so that it shares the process's one Spark session (one JVM); the
quality gate (lakehouse.gate) runs its stages through it in `make run`.

`python -m lakehouse.local.dbt <dbt arguments>` (`make dbt ARGS="build -s orders"`) is dbt on
the local target with what it needs: the metastore served, the build lock held."""

from __future__ import annotations

import sys

from lakehouse_jobs.paths import lakehouse_dir, repo_root

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


def main(argv: list[str] | None = None) -> int:
    from lakehouse.local import build_lock, metastore

    args = sys.argv[1:] if argv is None else argv
    if not args:
        usage = 'usage: make dbt ARGS="build -s orders" (any dbt command; the target is local)'
        print(usage, file=sys.stderr)
        return 2
    if "--target" in args or "-t" in args:
        other = "error: make dbt runs the local target; for another: .venv/bin/dbt ... --target dev"
        print(other, file=sys.stderr)
        return 2
    try:
        with build_lock.held(lakehouse_dir(), "make dbt " + " ".join(args)):
            result = run_dbt(*args)
    except metastore.Refusal as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    return 0 if result.success else 1  # the server stays for the next command, until idle


if __name__ == "__main__":
    sys.exit(main())
