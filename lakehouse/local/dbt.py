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
    args = sys.argv[1:] if argv is None else argv
    if not args:
        usage = 'usage: make dbt ARGS="build -s orders" (any dbt command; the target is local)'
        print(usage, file=sys.stderr)
        return 2
    return held("make dbt", args, lambda: 0 if run_dbt(*args).success else 1)


def held(
    command: str, args: list[str], work, elsewhere: str = ".venv/bin/dbt ... --target dev"
) -> int:
    """`work()` with the build lock held and the metastore served (it stays for the next
    command, until idle); one line on a refusal (`elsewhere`: the command for another target)."""
    from lakehouse.local import build_lock, metastore

    if "--target" in args or "-t" in args:
        other = f"error: {command} runs the local target; for another: {elsewhere}"
        print(other, file=sys.stderr)
        return 2
    try:
        with build_lock.held(lakehouse_dir(), " ".join([command, *args])):
            return work()
    except metastore.Refusal as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
