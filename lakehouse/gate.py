"""The quality gate: build and test on audit branches, publish only when every test passed.
One command everywhere: `make run` (the whole domain, locally), each project's scheduled
pipeline on AWS (its CodeBuild buildspec), and the deployment (which starts that pipeline).

    python -m lakehouse.gate [--target prod] [--project sales] [--select orders+]
                             [--stage all|upstream|curated|publish]
                             [--vars '{shared_schemas: true}'] [--exclude-resource-type unit_test]

Before its upstream stage the gate checks its sources' freshness (`dbt source freshness`, each
source's `freshness` config in its YAML): a source past `warn_after` is named in the report, one
past `error_after` fails the gate before anything is built: the raw data is older than its
owners promise, and a build would publish it as today's.

A build has two stages (lakehouse.release.project_access computes the domain's order of them):
  upstream  seeds, staging, refined, snapshots, with every test declared beside them;
  curated   the data products (models/<project>/curated/) and the singular tests (tests/dbt/),
            built only when everything of the upstream stage passed.
dbt build alone would still build a curated model whose own parents passed when a test joining
two refined models (a relationship) failed; staged, it is never built. Exit code 0 only when
every node of the run passed.

Write-audit-publish (macros/audit): the build writes every Iceberg model, seed and snapshot on
an audit branch of its table, and its tests read those branches, so they see exactly what would
be published. Only when every node passed does main of each table move to its branch (refined
first, the data products last). A failed run publishes nothing; its branches stay for
inspection, and the next run builds on them, so a failed day's rows are tested again and
published with the next good day.
  all       (the default) both stages, then publish: `make run` (the whole domain, branch
            audit_domain), a project's own pipeline (branch audit_<project>);
  upstream, curated   one stage of the domain's schedule (branch audit_domain), which publishes
            nothing: the schedule's last wave does, once every wave passed;
  publish   that last wave, for one project: publish its tables from audit_domain.

Every run leaves a record (lakehouse.run_log: status, duration, nodes by status, tests failed,
each source's freshness and lag): a JSON line in its output and, in the scheduled pipeline,
CloudWatch metrics; `make run` and `make gate` keep it in the lakehouse instead.

Standard library and dbt only: the scheduled pipeline runs it from the dbt bundle.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lakehouse import run_log

STAGES = ("upstream", "curated")


def audit_branch(project: str | None = None, whole: bool = True) -> str:
    """The branch a build writes and tests. A build whole by itself (every stage of one project)
    has its own, so it never reads what another build has not published; the whole domain and
    the stages of the domain's schedule share the domain's, so each stage reads what the earlier
    waves audited, and the schedule's last wave (`--stage publish`) publishes them together."""
    return f"audit_{project}" if project and whole else "audit_domain"


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
    branch: str = ""
    published: bool = False  # main of every audited table moved to the branch
    freshness: list = field(default_factory=list)  # dbt's result of each source's freshness
    started_at: datetime | None = None
    ended_at: datetime | None = None


Runner = Callable[..., object]  # runner("build", *args) -> dbt's result (success, result)


def run(
    runner: Runner,
    stages: Sequence[str] = STAGES,
    project: str | None = None,
    extra: Sequence[str] = (),
    narrow: str | None = None,
    variables: dict | None = None,
    publish: bool | None = None,
) -> GateResult:
    """`dbt build` stage after stage on the audit branch; a failed stage stops the ones after it.
    Then, when every node passed, publish (by default only a build of every stage: a single
    stage of the domain's schedule leaves it to the schedule's publish wave). `narrow` (one
    selector, e.g. `orders+`) intersects every stage with it; `variables` are dbt's --vars.
    The result also says when the run started and ended."""
    started = datetime.now(UTC)
    outcome = _gated(runner, stages, project, extra, narrow, variables, publish)
    outcome.started_at, outcome.ended_at = started, datetime.now(UTC)
    return outcome


def _gated(runner, stages, project, extra, narrow, variables, publish) -> GateResult:
    whole = tuple(stages) == STAGES
    branch = audit_branch(project, whole)
    with_branch = ["--vars", json.dumps({**(variables or {}), "audit_branch": branch})]
    results: list = []
    fresh: list = []
    if "upstream" in stages:
        args = ["--select", f"path:models/{project or '*'}"]
        checked = runner("source", "freshness", *(_narrowed(args, narrow) if narrow else args),
                         *with_branch)  # fmt: skip
        fresh = [r for r in checked.result or [] if r.node.resource_type == "source"]  # not hooks
        if not checked.success:
            return GateResult(False, results, stages[0], branch, freshness=fresh)
    for position, stage in enumerate(stages):
        args = selection(stage, project)
        if narrow:
            args = _narrowed(args, narrow)
        built = runner("build", *args, *with_branch, *extra)
        results += list(built.result or [])
        if not built.success:
            later = stages[position + 1] if position + 1 < len(stages) else None
            return GateResult(False, results, later, branch, freshness=fresh)
    if not (whole if publish is None else publish):
        return GateResult(True, results, None, branch, freshness=fresh)
    published = runner(
        "run-operation", "audit_publish",
        "--args", json.dumps({"branch": branch, "project": project}), *with_branch,
    )  # fmt: skip
    return GateResult(
        bool(published.success), results, None, branch, bool(published.success), fresh
    )


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

        from lakehouse import ast_guard

        ast_guard.install()  # dbt's threads parse at once

        command = [*args, "--project-dir", project_dir] + (["--target", target] if target else [])
        result = dbtRunner().invoke(command)
        if result.exception is not None:
            raise result.exception
        return result

    return invoke


def main(
    argv: list[str] | None = None,
    runner: Runner | None = None,
    keep: Callable[[dict, str | None], None] = run_log.keep,
) -> int:
    """The command line; `runner` replaces dbt in a process of its own (make gate's, locally),
    `keep(record, target)` keeps the run's record (by default a JSON line and, on AWS, metrics:
    lakehouse.run_log)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", help="dbt target (default: the profile's, `local`)")
    parser.add_argument("--project", help="one project's build (default: every project)")
    parser.add_argument(
        "--stage", choices=[*STAGES, "all", "publish"], default="all",
        help="all: build every stage, then publish; publish: only publish the domain's branch",
    )  # fmt: skip
    parser.add_argument("--select", help="narrow every stage to one dbt selector, e.g. orders+")
    parser.add_argument("--vars", help="dbt --vars, e.g. '{shared_schemas: true}'")
    parser.add_argument("--exclude-resource-type", action="append", default=[])
    parser.add_argument("--project-dir", default=".")
    args = parser.parse_args(argv)
    extra = []
    for kind in args.exclude_resource_type:
        extra += ["--exclude-resource-type", kind]
    stages = {"all": STAGES, "publish": ()}.get(args.stage, (args.stage,))
    runner = runner or dbt_runner(args.project_dir, args.target)
    outcome = run(
        runner, stages, args.project, extra, narrow=args.select, variables=parse_vars(args.vars),
        publish=args.stage in ("all", "publish"),
    )  # fmt: skip
    print("\n".join(report(outcome, f"project {args.project}" if args.project else "the domain")))
    keep(run_log.record(outcome, args.project, args.stage), args.target)
    return 0 if outcome.success else 1


def parse_vars(text: str | None) -> dict:
    """dbt's --vars: a YAML mapping (dbt ships PyYAML)."""
    if not text:
        return {}
    import yaml

    parsed = yaml.safe_load(text)
    if not isinstance(parsed, dict):
        raise SystemExit(f"gate: --vars must be a mapping, e.g. '{{shared_schemas: true}}': {text}")
    return parsed


def report(outcome: GateResult, scope: str = "the domain") -> list[str]:
    """What the gate tells its user: what passed and was published, or what failed and where
    the unpublished data and the stored failures are."""
    lines = freshness_report(outcome.freshness)
    if outcome.success:
        done = "published" if outcome.published else "audited (the schedule's last wave publishes)"
        return [*lines, f"gate: {scope}: every node passed; {done} from branch {outcome.branch}"]
    failed = [r for r in outcome.result if str(r.status) in FAILED]
    stale = [r for r in outcome.freshness if str(r.status) == "error"]
    unchecked = [r for r in outcome.freshness if str(r.status) in FAILED and r not in stale]
    if stale or unchecked:
        why = [f"{len(stale)} source(s) past their error_after"] if stale else []
        why += [f"{len(unchecked)} source(s) could not be checked"] if unchecked else []
        return [
            *lines,
            f"gate: {scope}: FAILED before the build, nothing built or published: "
            f"{', '.join(why)} (load them, or fix the check, then run the gate again)",
        ]
    if not failed and not outcome.stopped_before:
        return [
            *lines,
            f"gate: {scope}: every node passed, but publishing branch {outcome.branch} failed "
            "(dbt's error above); tables already published stay so, the rest keep their main: "
            "run the gate again to publish them",
        ]
    lines.append(f"gate: {scope}: FAILED, nothing published ({len(failed)} nodes did not pass)")
    for r in failed:
        lines.append(f"  {r.node.unique_id}: {r.status!s}")
        stored = getattr(r.node, "relation_name", None)
        if r.node.resource_type == "test" and stored and r.node.config.get("store_failures"):
            lines.append(f'    failing rows: make sql Q="select * from {stored}"')
    if outcome.stopped_before:
        lines.append(f"gate: the {outcome.stopped_before} stage was not built")
    lines.append(
        f"gate: published tables keep their main snapshot; the unpublished data is on branch "
        f'{outcome.branch} of each table built, e.g. make sql Q="select * from '
        f"cmr_refined.orders version as of '{outcome.branch}'\" (docs/models.md, after a failure)"
    )
    return lines


def freshness_report(checked: list) -> list[str]:
    """One line per source that is not fresh, then how many were checked."""
    lines = []
    for r in checked:
        status = str(r.status)
        if status == "pass":
            continue
        name = f"{r.node.source_name}.{r.node.name}"
        if status in ("warn", "error"):
            limit = (
                r.node.freshness.warn_after if status == "warn" else r.node.freshness.error_after
            )
            age = f"{r.age / 86400:.1f} days" if r.age >= 86400 else f"{r.age / 3600:.1f} h"
            lines.append(
                f"  freshness {status.upper()}: source {name} last loaded {age} ago "
                f"({status} after {limit.count} {limit.period}; newest {r.max_loaded_at})"
            )
        else:
            lines.append(f"  freshness {status.upper()}: source {name}: {r.message}")
    if checked:
        passed = sum(str(r.status) == "pass" for r in checked)
        lines.insert(0, f"gate: freshness: {passed} of {len(checked)} sources fresh")
    return lines


FAILED = ("error", "fail", "runtime error", "skipped")

if __name__ == "__main__":
    sys.exit(main())
