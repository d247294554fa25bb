"""Runs dbt in this process, so that it shares the process's one Spark session (one JVM)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lakehouse_jobs.paths import repo_root

from lakehouse import environment

# The data products other domains read; promoted only after everything below them passed.
CURATED = "path:models/*/curated"


def run_dbt(*args: str, target: str = "local"):
    """`dbt <args> --target <target>`; returns dbt's result object, raises on a crash."""
    from dbt.cli.main import dbtRunner

    environment.defaults()
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
