"""`make gate ARGS="--project sales"`: the quality gate (lakehouse.gate: build, test on the
audit branches, publish only when every test passed) on the local lakehouse, as `make run`
runs it but without the sample data and the ingestion, with the build lock held and the
metastore served. The arguments are the gate's (`--project`, `--select`, `--stage`, `--vars`,
`--full-refresh`); what each scope last published is kept in the lakehouse (`gate-state/`), so
a build builds only what changed since (lakehouse.published_state); the run's record goes to
the lakehouse's gate run log (lakehouse.local.gate_log)."""

from __future__ import annotations

import sys
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir

from lakehouse import gate
from lakehouse.environment import target_dir
from lakehouse.local import gate_log
from lakehouse.local.dbt import held, run_dbt
from lakehouse.published_state import PublishedState


def state_dir(home: Path | None = None) -> Path:
    """Where the lakehouse keeps what each scope's gate last published."""
    return (home or lakehouse_dir()) / "gate-state"


def local_state(project: str | None = None) -> PublishedState:
    """What the local lakehouse last published for the domain (or one project)."""
    return PublishedState(state_dir(), project or "domain", target_dir())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--state-dir" not in args:
        args = [*args, "--state-dir", str(state_dir())]
    aws = ".venv/bin/python -m lakehouse.gate --target dev ..."
    return held("make gate", args, lambda: gate.main(args, run_dbt, gate_log.keep), aws)


if __name__ == "__main__":
    sys.exit(main())
