"""OpenLineage events of dbt builds, from the run's artifacts (target/run_results.json and
target/manifest.json), sent the way the ingestion jobs send theirs (lakehouse_jobs.lineage).

Each model, seed or snapshot that ran is a run of the job `<unique id>` (e.g.
`model.lakehouse.orders`): a START and a COMPLETE (or FAIL), its parents' tables as inputs, its
table as output with its declared columns (schema facet) and the rows dbt reports. The tests
of a table are one more run, `<unique id>.tests`, whose input is the tested table with one
data-quality assertion per test. Every run's parent is the dbt invocation (`dbt-build`, run id
= dbt's invocation id). Skipped nodes did not run: no events.

openlineage-dbt is not used: it refuses dbt-spark's `session` method ("Connection method
`session` is not supported") and wraps the dbt command line, where the gate runs dbt in process.

Standard library, dbt and openlineage-python only: the dbt bundle ships it beside the gate.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from pathlib import Path

from lakehouse_jobs.lineage import (
    PRODUCER,
    SETTINGS,
    Emitter,
    local_events_file,
    table_namespace,
)
from lakehouse_jobs.logs import get_logger

BUILT = ("model", "seed", "snapshot")
INVOCATION_JOB = "dbt-build"
PASSED = ("success", "pass", "warn")
log = get_logger("dbt_lineage")


def emitting(runner, project_dir: str = ".", target: str | None = None):
    """`runner` (the gate's: runner("build", ...) -> dbt's result) that, after every dbt command
    that builds, sends the events of what it built. Locally (`target` None or `local`) the
    lakehouse's events file gets them too."""
    events_file = local_events_file() if target in (None, "local") else None
    emitter = Emitter({k: os.environ.get(k) for k in SETTINGS}, events_file)

    def invoke(*args: str):
        result = runner(*args)
        if args and args[0] in ("build", "run", "seed", "snapshot", "test"):
            send(emitter, target_dir(project_dir), Path(project_dir))
        return result

    return invoke


def send(emitter: Emitter, target: Path, project_dir: Path) -> int:
    """Sends the events of the last dbt command's artifacts; how many were sent."""
    try:
        manifest = json.loads((target / "manifest.json").read_text())
        results = json.loads((target / "run_results.json").read_text())
        found = events(manifest, results, domain(project_dir))
    except Exception as failure:  # lineage never fails a build
        log.error(f"dbt lineage events not built from {target}: {failure}")
        return 0
    return sum(emitter.emit(event) for event in found)


def target_dir(project_dir: str | Path) -> Path:
    """Where dbt writes its artifacts: DBT_TARGET_PATH, else the project's target/."""
    return Path(os.environ.get("DBT_TARGET_PATH") or Path(project_dir) / "target")


def domain(project_dir: Path) -> dict:
    """The domain's name and abbreviation (dbt_project.yml's vars, generated from domain.yml)."""
    import yaml

    return yaml.safe_load((project_dir / "dbt_project.yml").read_text())["vars"]["domain"]


def events(manifest: dict, results: dict, domain: dict) -> list:
    """The RunEvents of one dbt command: a START and an end per node built, then per table
    tested."""
    invocation = results["metadata"]["invocation_id"]
    by_id = {**manifest["nodes"], **manifest.get("sources", {})}
    graph = _Graph(by_id, domain, invocation)
    found, tests = [], defaultdict(list)
    for result in results["results"]:
        node = by_id.get(result["unique_id"])
        if node is None or result["status"] == "skipped":
            continue
        if node["resource_type"] in BUILT:
            found += graph.node_run(node, result)
        elif node["resource_type"] == "test":
            attached = node.get("attached_node")
            for tested in [attached] if attached else _parents(node):
                tests[tested].append((node, result))
    for tested, checks in tests.items():
        if graph.relation(tested):
            found += graph.tests_run(tested, checks)
    return found


def _parents(node: dict) -> list[str]:
    return list(node.get("depends_on", {}).get("nodes", []))


class _Graph:
    """Builds events for the nodes of one manifest and invocation."""

    def __init__(self, by_id: dict, domain: dict, invocation: str) -> None:
        self.by_id, self.domain, self.invocation = by_id, domain, invocation

    def relation(self, unique_id: str) -> str | None:
        """`<schema>.<table>` of a node or source; None for what has no table (ephemeral)."""
        name = (self.by_id.get(unique_id) or {}).get("relation_name")
        return name.replace("`", "").replace('"', "") if name else None

    def node_run(self, node: dict, result: dict) -> list:
        from openlineage.client.event_v2 import InputDataset, OutputDataset
        from openlineage.client.facet_v2 import output_statistics_output_dataset, schema_dataset

        table = self.relation(node["unique_id"])
        inputs = [InputDataset(*self._dataset(r)) for r in self._relations(_parents(node))]
        facets, output_facets = {}, {}
        columns = [c for c in node.get("columns", {}).values() if c.get("data_type")]
        if columns:
            fields = [
                schema_dataset.SchemaDatasetFacetFields(
                    c["name"], c["data_type"], c.get("description") or None
                )
                for c in columns
            ]
            facets["schema"] = schema_dataset.SchemaDatasetFacet(fields)
        rows = (result.get("adapter_response") or {}).get("rows_affected")
        if isinstance(rows, int) and rows >= 0:
            stats = output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(rows)
            output_facets["outputStatistics"] = stats
        outputs = [OutputDataset(*self._dataset(table), facets=facets, outputFacets=output_facets)]
        ok = result["status"] in PASSED
        return self._run(node["unique_id"], node["resource_type"], [result], ok, inputs, outputs,
                         error=None if ok else result.get("message"))  # fmt: skip

    def tests_run(self, tested: str, checks: list[tuple[dict, dict]]) -> list:
        from openlineage.client.event_v2 import InputDataset
        from openlineage.client.facet_v2 import data_quality_assertions_dataset as dq

        assertions = []
        for test, result in checks:
            metadata = test.get("test_metadata") or {}
            assertions.append(
                dq.Assertion(
                    assertion=metadata.get("name") or test["name"],
                    success=result["status"] in PASSED,
                    column=(metadata.get("kwargs") or {}).get("column_name"),
                    severity=(test.get("config") or {}).get("severity"),
                    name=test["name"],
                )
            )
        facet = dq.DataQualityAssertionsDatasetFacet(assertions)
        tested_table = InputDataset(
            *self._dataset(self.relation(tested)), inputFacets={"dataQualityAssertions": facet}
        )
        ok = all(a.success for a in assertions)
        failed = [a.name for a in assertions if not a.success]
        return self._run(f"{tested}.tests", "test", [r for _, r in checks], ok, [tested_table],
                         [], error=None if ok else f"failed: {', '.join(failed)}")  # fmt: skip

    def _relations(self, unique_ids: list[str]) -> list[str]:
        return [r for r in (self.relation(u) for u in unique_ids) if r]

    def _dataset(self, table: str) -> tuple[str, str]:
        return table_namespace(self.domain["name"], table), table

    def _run(self, name, kind, results, ok, inputs, outputs, error=None) -> list:
        """START at the first result's start, COMPLETE or FAIL at the last one's end."""
        from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
        from openlineage.client.facet_v2 import error_message_run, job_type_job, parent_run

        namespace = self.domain["abbreviation"]
        parent = parent_run.ParentRunFacet(
            run=parent_run.Run(self.invocation),
            job=parent_run.Job(namespace, INVOCATION_JOB),
        )
        job_type = job_type_job.JobTypeJobFacet("BATCH", "DBT", kind.upper())
        job = Job(namespace, name, facets={"jobType": job_type})
        run_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.invocation}/{name}"))
        started, ended = _times(results)
        end_facets = {"parent": parent}
        if error:
            end_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(error, "sql")
        return [
            RunEvent(eventType=RunState.START, eventTime=started, producer=PRODUCER,
                     run=Run(run_id, facets={"parent": parent}), job=job, inputs=inputs,
                     outputs=outputs),
            RunEvent(eventType=RunState.COMPLETE if ok else RunState.FAIL, eventTime=ended,
                     producer=PRODUCER, run=Run(run_id, facets=end_facets), job=job,
                     inputs=inputs, outputs=outputs),
        ]  # fmt: skip


def _times(results: list[dict]) -> tuple[str, str]:
    """When the first result started and the last ended (dbt's timing, UTC)."""
    timings = [t for r in results for t in r.get("timing") or [] if t.get("started_at")]
    if not timings:  # a node that failed before it ran
        from datetime import UTC, datetime

        now = datetime.now(UTC).isoformat()
        return now, now
    started = min(t["started_at"] for t in timings)
    ended = max(t["completed_at"] or t["started_at"] for t in timings)
    return _utc(started), _utc(ended)


def _utc(stamp: str) -> str:
    """dbt writes `2024-01-02T03:04:05.123456Z`; some versions leave the offset out."""
    return stamp if stamp.endswith("Z") or "+" in stamp[10:] else f"{stamp}Z"
