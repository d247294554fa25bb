"""The quality gate: build and test on audit branches, publish only when every test passed.
One command everywhere: `make run` (the whole domain, locally), each project's scheduled
pipeline on AWS (its CodeBuild buildspec), and the deployment (which starts that pipeline).

    python -m lakehouse.gate [--target prod] [--project sales] [--select orders+]
                             [--stage all|upstream|curated|publish]
                             [--vars '{shared_schemas: true}'] [--exclude-resource-type unit_test]
                             [--full-refresh] [--state-dir gate-state]

Before its upstream stage the gate checks the freshness of every source its build reads
(`dbt source freshness`, each source's `freshness` config in its YAML): one of the build's own
sources past `warn_after` is named in the report, one past `error_after` fails the gate before
anything is built: the raw data is older than its owners promise, and a build would publish it
as today's. (Other projects' sources are checked for what changed, below, not judged.)

With a state folder (`--state-dir`; lakehouse.published_state), a daily build builds only what
changed since the scope's last publish: what is downstream of a fresher source, and what the
code changed. A full refresh, a first build or a build narrowed with --select builds whole.

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

Every dbt build it runs sends its OpenLineage events (lakehouse.dbt_lineage, docs/lineage.md).
Every run leaves a record (lakehouse.run_log: status, duration, nodes by status, tests failed,
each source's freshness and lag): a JSON line in its output and, in the scheduled pipeline,
CloudWatch metrics; `make run` and `make gate` keep it in the lakehouse instead.

Standard library, dbt and openlineage-python only: the scheduled pipeline runs it from the dbt
bundle.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lakehouse import dbt_lineage, run_log
from lakehouse.published_state import PublishedState

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
    state: PublishedState | None = None,
) -> GateResult:
    """`dbt build` stage after stage on the audit branch; a failed stage stops the ones after it.
    Then, when every node passed, publish (by default only a build of every stage: a single
    stage of the domain's schedule leaves it to the schedule's publish wave). `narrow` (one
    selector, e.g. `orders+`) intersects every stage with it; `variables` are dbt's --vars;
    `state`: what the scope last published, to build only what changed since. The result also
    says when the run started and ended."""
    started = datetime.now(UTC)
    outcome = _gated(runner, stages, project, extra, narrow, variables, publish, state)
    outcome.started_at, outcome.ended_at = started, datetime.now(UTC)
    return outcome


def _gated(runner, stages, project, extra, narrow, variables, publish, state) -> GateResult:
    whole = tuple(stages) == STAGES
    branch = audit_branch(project, whole)
    with_branch = ["--vars", json.dumps({**(variables or {}), "audit_branch": branch})]
    results: list = []
    fresh: list = []
    if "upstream" in stages:
        read = ["--select", f"+path:models/{project or '*'}"]  # every source the build reads
        checked = runner("source", "freshness", *_narrowed(read, narrow), *with_branch)
        fresh = [r for r in checked.result or [] if _owned_source(r.node, project)]  # not hooks
        if any(str(r.status) in FAILED for r in fresh):
            return GateResult(False, results, stages[0], branch, freshness=fresh)
        if state is not None:
            state.keep_checked_sources()
    elif state is not None and stages:
        state.use_checked_sources()
    # a full refresh, or a build narrowed by hand, builds everything it selects
    builds_whole = "--full-refresh" in extra or narrow is not None
    changed = state.selectors() if state is not None and not builds_whole else None
    for position, stage in enumerate(stages):
        args = _narrowed(selection(stage, project), narrow, changed)
        built = runner("build", *args, *(state.state_args() if changed else ()), *with_branch,
                       *extra)  # fmt: skip
        results += list(built.result or [])
        if state is not None:
            state.keep_manifest()
        if not built.success:
            later = stages[position + 1] if position + 1 < len(stages) else None
            return GateResult(False, results, later, branch, freshness=fresh)
    if not (whole if publish is None else publish):
        return GateResult(True, results, None, branch, freshness=fresh)
    published = runner(
        "run-operation", "audit_publish",
        "--args", json.dumps({"branch": branch, "project": project}), *with_branch,
    )  # fmt: skip
    if published.success and state is not None and narrow is None:
        state.publish()  # only a build of everything that changed may say what is published
    return GateResult(
        bool(published.success), results, None, branch, bool(published.success), fresh
    )


def _owned_source(node, project: str | None) -> bool:
    """A source of the build's own project (of any project for the domain's build)."""
    path = getattr(node, "original_file_path", "") or ""
    own = project is None or path.startswith(f"models/{project}/")
    return node.resource_type == "source" and own


def _narrowed(args: list[str], narrow: str | None, union: list[str] | None = None) -> list[str]:
    """Each --select term intersected with `narrow` and with the union of `union` (dbt: `a,b`
    is a and b; separate terms are a or b)."""
    out, selecting = [], False
    for arg in args:
        if arg.startswith("--"):
            selecting = arg == "--select"
            out.append(arg)
        elif not selecting:
            out.append(arg)
        else:
            term = f"{arg},{narrow}" if narrow else arg
            out += [f"{term},{u}" for u in union] if union else [term]
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
    parser.add_argument("--full-refresh", action="store_true", help="rebuild every model whole")
    parser.add_argument(
        "--state-dir",
        help="where the scope's published state is kept, to build only what changed since",
    )
    parser.add_argument("--project-dir", default=".")
    args = parser.parse_args(argv)
    extra = []
    for kind in args.exclude_resource_type:
        extra += ["--exclude-resource-type", kind]
    extra += ["--full-refresh"] if args.full_refresh else []
    stages = {"all": STAGES, "publish": ()}.get(args.stage, (args.stage,))
    runner = runner or dbt_runner(args.project_dir, args.target)
    runner = dbt_lineage.emitting(runner, args.project_dir, args.target)
    state = None
    if args.state_dir:
        target = dbt_lineage.target_dir(args.project_dir)
        state = PublishedState(args.state_dir, args.project or "domain", target)
    outcome = run(
        runner, stages, args.project, extra, narrow=args.select, variables=parse_vars(args.vars),
        publish=args.stage in ("all", "publish"), state=state,
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
