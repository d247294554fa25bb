"""The quality gate: build, test, and promote the data products only when every test passed.
One command everywhere: `make run` (the whole domain, locally), each project's scheduled
pipeline on AWS (its CodeBuild buildspec), and the deployment (which starts that pipeline).

    python -m lakehouse.gate [--target prod] [--project sales] [--stage all|upstream|curated]
                             [--vars '{shared_schemas: true}'] [--exclude-resource-type unit_test]

A build has two stages (lakehouse.release.project_access computes the domain's order of them):
  upstream  seeds, staging, refined, snapshots, with every test declared beside them;
  curated   the data products (models/<project>/curated/) and the singular tests (tests/dbt/),
            built only when everything of the upstream stage passed.
dbt build alone would still promote a curated model whose own parents passed when a test
joining two refined models (a relationship) failed; staged, any failed test keeps every curated
table as it was. `--stage all` (the default) runs both; the domain's schedule runs one stage of
one project at a time, in waves. Exit code 0 only when every node of the run passed.

Standard library and dbt only: the scheduled pipeline runs it from the dbt bundle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

STAGES = ("upstream", "curated")


def selection(stage: str, project: str | None = None) -> list[str]:
    """dbt arguments that select one stage (of one project, or of every project). Tests are
    selected by the folder that declares them, not by their parents, so that a test runs in
    exactly one project's build: the one that owns it."""
    p = project or "*"
    if stage == "upstream":
        found = ["--select", f"path:models/{p}", f"path:seeds/{p}", f"path:snapshots/{p}"]
        found += ["--exclude", f"path:models/{p}/curated"]
    elif stage == "curated":
        found = ["--select", f"path:models/{p}/curated", f"path:tests/dbt/{p}"]
    else:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    return [*found, "--indirect-selection", "empty"]


@dataclass
class GateResult:
    """Whether the gate passed, and every node's result of the stages it ran."""

    success: bool
    result: list = field(default_factory=list)
    stopped_before: str | None = None  # the stage not run because an earlier one failed


Runner = Callable[..., object]  # runner("build", *args) -> dbt's result (success, result)


def run(
    runner: Runner,
    stages: Sequence[str] = STAGES,
    project: str | None = None,
    extra: Sequence[str] = (),
    narrow: str | None = None,
) -> GateResult:
    """`dbt build` stage after stage; a failed stage stops the ones after it. `narrow` (one
    selector, e.g. `orders+`) intersects every stage with it."""
    results: list = []
    for position, stage in enumerate(stages):
        args = selection(stage, project)
        if narrow:
            args = _narrowed(args, narrow)
        built = runner("build", *args, *extra)
        results += list(built.result or [])
        if not built.success:
            later = stages[position + 1] if position + 1 < len(stages) else None
            return GateResult(False, results, later)
    return GateResult(True, results)


def _narrowed(args: list[str], narrow: str) -> list[str]:
    """Each --select term intersected with `narrow` (dbt: `a,b` is a and b)."""
    out, selecting = [], False
    for arg in args:
        if arg.startswith("--"):
            selecting = arg == "--select"
            out.append(arg)
        else:
            out.append(f"{arg},{narrow}" if selecting else arg)
    return out


def dbt_runner(project_dir: str = ".", target: str | None = None) -> Runner:
    """dbt in this process, on the project in `project_dir`."""

    def invoke(*args: str):
        from dbt.cli.main import dbtRunner

        command = [*args, "--project-dir", project_dir] + (["--target", target] if target else [])
        result = dbtRunner().invoke(command)
        if result.exception is not None:
            raise result.exception
        return result

    return invoke


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", help="dbt target (default: the profile's, `local`)")
    parser.add_argument("--project", help="one project's build (default: every project)")
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    parser.add_argument("--vars", help="dbt --vars, e.g. '{shared_schemas: true}'")
    parser.add_argument("--exclude-resource-type", action="append", default=[])
    parser.add_argument("--project-dir", default=".")
    args = parser.parse_args(argv)
    extra = ["--vars", args.vars] if args.vars else []
    for kind in args.exclude_resource_type:
        extra += ["--exclude-resource-type", kind]
    stages = STAGES if args.stage == "all" else (args.stage,)
    outcome = run(dbt_runner(args.project_dir, args.target), stages, args.project, extra)
    scope = f"project {args.project}" if args.project else "the domain"
    if outcome.success:
        print(f"gate: {scope}, stage {args.stage}: every node passed")
        return 0
    failed = [r.node.unique_id for r in outcome.result if str(r.status) in FAILED]
    print(f"gate: {scope}, stage {args.stage}: FAILED ({len(failed)} nodes: {', '.join(failed)})")
    if outcome.stopped_before:
        print(f"gate: the {outcome.stopped_before} stage was not built; it keeps its last state")
    return 1


FAILED = ("error", "fail", "runtime error", "skipped")

if __name__ == "__main__":
    sys.exit(main())
