"""Lineage events of a real ingestion job and a real gated dbt build, sent over HTTP to an
OpenLineage endpoint on 127.0.0.1 (http.server in a thread, as Marquez receives them:
POST /api/v1/lineage), and kept in the local lakehouse's table lineage_events."""

import json
import shutil
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lakehouse_jobs.file_job import run_file_ingestion
from lakehouse_jobs.lineage import problems

from lakehouse import dbt_lineage, gate
from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration


class Endpoint:
    """What a lineage server received: (path, event) per POST."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, json.loads(body)))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, job_prefix: str = "") -> list[dict]:
        return [e for _, e in self.received if e["job"]["name"].startswith(job_prefix)]


@pytest.fixture
def endpoint():
    server = Endpoint()
    yield server
    server.server.shutdown()
    server.server.server_close()


def paired(events: list[dict]) -> dict[str, list[str]]:
    """Event types per run id, in the order sent."""
    runs: dict[str, list[str]] = {}
    for event in events:
        runs.setdefault(event["run"]["runId"], []).append(event["eventType"])
    return runs


def test_an_ingestion_job_sends_start_and_complete_with_its_tables(lakehouse, endpoint, tmp_path):
    database = f"itest_{uuid.uuid4().hex[:8]}"
    batch = "2024-01-02"
    for name in ("nation.csv", "region.csv"):
        landed = tmp_path / "landing" / "customers" / "geo" / batch / name
        landed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(lakehouse.generated / name, landed)
    argv = ["--BATCH_ID", batch, "--RAW_DATABASE", database]
    for key in ("RAW_ROOT", "LANDING_ROOT", "ARCHIVE_ROOT"):
        argv += [f"--{key}", str(tmp_path / key.split("_")[0].lower())]
    events_file = tmp_path / "lineage" / "events.jsonl"
    argv += ["--LINEAGE_EVENTS_FILE", str(events_file), "--OPENLINEAGE_URL", endpoint.url]

    assert run_file_ingestion("customers", "geo", argv) == 0

    assert {path for path, _ in endpoint.received} == {"/api/v1/lineage"}
    start, complete = endpoint.events()
    assert (start["eventType"], complete["eventType"]) == ("START", "COMPLETE")
    assert start["run"]["runId"] == complete["run"]["runId"]
    assert complete["job"]["namespace"] == "cmr"
    assert complete["job"]["name"] == "customers-ingest-geo"
    written = {
        o["name"]: o["outputFacets"]["outputStatistics"]["rowCount"] for o in complete["outputs"]
    }
    spark = lakehouse.spark
    for table, rows in written.items():
        assert spark.catalog.tableExists(table), table
        count = f"select count(*) from {table} where _batch_id = '{batch}'"
        assert spark.sql(count).first()[0] == rows
    assert written[f"{database}.customers__nation"] == 25
    assert written[f"{database}.customers__region"] == 5
    assert all(i["name"].endswith(("nation.csv", "region.csv")) for i in complete["inputs"])
    assert [problems(e) for e in (start, complete)] == [[], []]
    # locally the lakehouse keeps them too: the table over the events file
    kept = f"{database}.lineage_events"
    spark.catalog.refreshTable(kept)
    rows = spark.sql(f"select eventType, job.name, run.runId from {kept}").collect()
    assert sorted(tuple(r) for r in rows) == sorted(
        (e["eventType"], e["job"]["name"], e["run"]["runId"]) for e in (start, complete)
    )


def test_a_gated_dbt_build_sends_each_nodes_run_and_dbt_tests_their_assertions(
    lakehouse, endpoint, monkeypatch, repo_root
):
    monkeypatch.setenv("OPENLINEAGE_URL", endpoint.url)
    args = ["--project", "customers", "--select", "nations"]
    assert gate.main(args, runner=run_dbt) == 0

    events = endpoint.events()
    runs = paired(events)
    assert runs and all(types == ["START", "COMPLETE"] for types in runs.values()), runs
    assert [problems(e) for e in events if problems(e)] == []
    _, built = [e for e in events if e["job"]["name"] == "model.lakehouse.nations"]
    assert built["job"]["namespace"] == "cmr"
    (output,) = built["outputs"]
    assert (output["namespace"], output["name"]) == (
        "commerce://cmr_refined",
        "cmr_refined.nations",
    )
    assert {i["name"] for i in built["inputs"]} == {
        "cmr_staging.stg_geo__nations",
        "cmr_staging.stg_geo__regions",
    }
    for dataset in [output, *built["inputs"]]:
        assert lakehouse.spark.catalog.tableExists(dataset["name"]), dataset["name"]
    # every run's parent is the dbt invocation
    assert {e["run"]["facets"]["parent"]["job"]["name"] for e in events} == {"dbt-build"}

    # a narrowed gate selects no test: the tests of nations, run by dbt through the same
    # wrapper, are one run whose input carries one assertion per test
    endpoint.received.clear()
    assert dbt_lineage.emitting(run_dbt, str(repo_root))("test", "--select", "nations").success
    events = endpoint.events()
    _, tested = [e for e in events if e["job"]["name"] == "model.lakehouse.nations.tests"]
    assert tested["eventType"] == "COMPLETE" and problems(tested) == []
    (table,) = tested["inputs"]
    assert table["name"] == "cmr_refined.nations"
    assertions = table["inputFacets"]["dataQualityAssertions"]["assertions"]
    assert {(a["assertion"], a.get("column")) for a in assertions} >= {
        ("unique", "nation_id"),
        ("not_null", "nation_id"),
        ("accepted_values", "region_name"),
    }
    assert all(a["success"] for a in assertions)
