"""Building lineage events and choosing their transports (no Spark, no dbt run): dbt's
artifacts as dbt 1.10 writes them, cut down to the fields the events read."""

import json

import pytest
from lakehouse_jobs.lineage import Emitter, problems, transports

from lakehouse import dbt_lineage

DOMAIN = {"name": "commerce", "abbreviation": "cmr"}
INVOCATION = "5b0c1f7e-3c3e-4c1a-9a51-2f0d7b1b6a10"


def node(unique_id: str, relation: str | None, parents=(), **more) -> dict:
    kind, _, name = unique_id.split(".")
    return {
        "unique_id": unique_id,
        "resource_type": kind,
        "name": name,
        "relation_name": relation,
        "depends_on": {"nodes": list(parents)},
        **more,
    }


def result(unique_id: str, status: str, rows=None, message=None) -> dict:
    return {
        "unique_id": unique_id,
        "status": status,
        "message": message,
        "adapter_response": {"rows_affected": rows} if rows is not None else {},
        "timing": [
            {"name": "compile", "started_at": "2024-01-02T03:00:00.000001Z",
             "completed_at": "2024-01-02T03:00:01.000001Z"},
            {"name": "execute", "started_at": "2024-01-02T03:00:01.000001Z",
             "completed_at": "2024-01-02T03:00:09.000001Z"},
        ],
    }  # fmt: skip


def data_test(name: str, attached: str, column: str, generic: str) -> dict:
    metadata = {"name": generic, "kwargs": {"column_name": column}}
    return node(f"test.lakehouse.{name}", None, [attached], attached_node=attached,
                test_metadata=metadata, config={"severity": "ERROR"})  # fmt: skip


MANIFEST = {
    "nodes": {
        n["unique_id"]: n
        for n in [
            node("model.lakehouse.stg_geo__nations", "`cmr_refined`.`stg_geo__nations`",
                 ["source.lakehouse.geo.nation"]),
            node("model.lakehouse.nations", "cmr_refined.nations",
                 ["model.lakehouse.stg_geo__nations", "model.lakehouse.ephemeral_helper"],
                 columns={"nation_id": {"name": "nation_id", "data_type": "bigint",
                                        "description": "Nation number."},
                          "nation_name": {"name": "nation_name", "description": "untyped"}}),
            node("model.lakehouse.ephemeral_helper", None),
            node("model.lakehouse.skipped_one", "cmr_curated.skipped_one"),
            data_test("unique_nations_nation_id", "model.lakehouse.nations", "nation_id",
                 generic="unique"),
            data_test("not_null_nations_nation_id", "model.lakehouse.nations", "nation_id",
                 generic="not_null"),
        ]
    },
    "sources": {
        "source.lakehouse.geo.nation": {
            "unique_id": "source.lakehouse.geo.nation",
            "resource_type": "source",
            "relation_name": "cmr_raw.customers__nation",
        }
    },
}  # fmt: skip


def run_results(*results) -> dict:
    return {"metadata": {"invocation_id": INVOCATION}, "results": list(results)}


def serialised(events) -> list[dict]:
    from openlineage.client.serde import Serde

    return [Serde.to_dict(e) for e in events]


def test_each_built_node_is_a_run_with_its_parents_tables_and_its_own():
    found = serialised(dbt_lineage.events(MANIFEST, run_results(
        result("model.lakehouse.stg_geo__nations", "success"),
        result("model.lakehouse.nations", "success", rows=25),
        result("model.lakehouse.skipped_one", "skipped"),
    ), DOMAIN))  # fmt: skip
    assert [(e["job"]["name"], e["eventType"]) for e in found] == [
        ("model.lakehouse.stg_geo__nations", "START"),
        ("model.lakehouse.stg_geo__nations", "COMPLETE"),
        ("model.lakehouse.nations", "START"),
        ("model.lakehouse.nations", "COMPLETE"),
    ]
    assert [problems(e) for e in found] == [[]] * 4
    staging, nations = found[1], found[3]
    # a source is read under the namespace its ingestion job writes it in
    assert staging["inputs"] == [
        {"namespace": "commerce://cmr_raw", "name": "cmr_raw.customers__nation", "facets": {},
         "inputFacets": {}}
    ]  # fmt: skip
    assert staging["outputs"][0]["name"] == "cmr_refined.stg_geo__nations"  # quotes dropped
    # an ephemeral parent has no table: not an input
    assert [i["name"] for i in nations["inputs"]] == ["cmr_refined.stg_geo__nations"]
    (output,) = nations["outputs"]
    assert (output["namespace"], output["name"]) == (
        "commerce://cmr_refined",
        "cmr_refined.nations",
    )
    assert output["outputFacets"]["outputStatistics"]["rowCount"] == 25
    fields = output["facets"]["schema"]["fields"]
    assert [(f["name"], f["type"], f["description"]) for f in fields] == [
        ("nation_id", "bigint", "Nation number.")
    ]  # only typed columns
    assert "outputStatistics" not in staging["outputs"][0]["outputFacets"]  # dbt said no count
    # START and end pair on a run id derived from the invocation; times are dbt's
    start, end = found[2], found[3]
    assert start["run"]["runId"] == end["run"]["runId"] != staging["run"]["runId"]
    assert (start["eventTime"], end["eventTime"]) == (
        "2024-01-02T03:00:00.000001Z", "2024-01-02T03:00:09.000001Z"
    )  # fmt: skip
    assert end["run"]["facets"]["parent"]["run"]["runId"] == INVOCATION
    assert end["job"]["facets"]["jobType"]["jobType"] == "MODEL"
    again = serialised(dbt_lineage.events(MANIFEST, run_results(
        result("model.lakehouse.nations", "success")), DOMAIN))  # fmt: skip
    assert again[0]["run"]["runId"] == start["run"]["runId"]  # the same run, the same id


def test_a_failed_node_ends_in_fail_with_dbts_message():
    failed = result("model.lakehouse.nations", "error", message="Database Error: boom")
    start, end = serialised(dbt_lineage.events(MANIFEST, run_results(failed), DOMAIN))
    assert (start["eventType"], end["eventType"]) == ("START", "FAIL")
    assert end["run"]["facets"]["errorMessage"]["message"] == "Database Error: boom"
    assert problems(end) == []


def test_the_tests_of_a_table_are_one_run_with_an_assertion_per_test():
    start, end = serialised(dbt_lineage.events(MANIFEST, run_results(
        result("test.lakehouse.unique_nations_nation_id", "pass"),
        result("test.lakehouse.not_null_nations_nation_id", "fail"),
    ), DOMAIN))  # fmt: skip
    assert end["job"]["name"] == "model.lakehouse.nations.tests"
    assert (start["eventType"], end["eventType"]) == ("START", "FAIL")
    (tested,) = end["inputs"]
    assert tested["name"] == "cmr_refined.nations" and end["outputs"] == []
    assertions = tested["inputFacets"]["dataQualityAssertions"]["assertions"]
    assert [(a["assertion"], a["column"], a["success"]) for a in assertions] == [
        ("unique", "nation_id", True),
        ("not_null", "nation_id", False),
    ]
    assert "not_null_nations_nation_id" in end["run"]["facets"]["errorMessage"]["message"]
    assert problems(end) == []


def test_problems_name_what_the_spec_requires():
    event = {
        "eventType": "DONE",
        "eventTime": "2024-01-02",
        "producer": "lakehouse",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "42", "facets": {"x": {"_producer": "https://p"}}},
        "job": {"namespace": "cmr", "name": ""},
        "outputs": [{"namespace": "commerce://cmr_raw"}],
    }
    assert problems(event) == [
        "eventType 'DONE' is none of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER",
        "eventTime '2024-01-02' is not a date-time with an offset",
        "producer 'lakehouse' is not a URI",
        "run.runId '42' is not a UUID",
        "run.facets.x._schemaURL is not a URI",
        "job.name is missing or empty",
        "outputs[0].name is missing or empty",
    ]


def test_transports_locally_aws_and_configured(tmp_path):
    events = tmp_path / "events.jsonl"
    local_file = {"type": "file", "log_file_path": str(events), "append": True}
    assert transports({}, events) == [local_file]
    assert transports({}, None) == [{"type": "console"}]  # AWS: the job's log
    url = {"OPENLINEAGE_URL": "http://marquez:5000", "OPENLINEAGE_API_KEY": "k"}
    assert transports(url, None) == [
        {"type": "http", "url": "http://marquez:5000", "endpoint": "api/v1/lineage",
         "auth": {"type": "api_key", "apiKey": "k"}}
    ]  # fmt: skip
    datahub = {**url, "OPENLINEAGE_ENDPOINT": "openapi/openlineage/api/v1/lineage"}
    assert transports(datahub, events)[0]["endpoint"] == "openapi/openlineage/api/v1/lineage"
    assert transports(datahub, events)[1] == local_file  # locally the lakehouse keeps them too
    config = tmp_path / "openlineage.yml"
    config.write_text("transport: {type: kafka, topicName: lineage, config: {}}\n")
    assert transports({"OPENLINEAGE_CONFIG": str(config), **url}, None) == [
        {"type": "kafka", "topicName": "lineage", "config": {}}
    ]
    assert transports({**url, "OPENLINEAGE_DISABLED": "true"}, events) == []


def test_a_wrong_config_file_is_one_logged_line_not_a_failure(tmp_path, capsys):
    from lakehouse_jobs.lifecycle import JobRun  # noqa: F401 - the library's logger set up

    (event,) = dbt_lineage.events(MANIFEST, run_results(
        result("model.lakehouse.nations", "success")), DOMAIN)[:1]  # fmt: skip
    emitter = Emitter({"OPENLINEAGE_CONFIG": str(tmp_path / "missing.yml")}, None)
    assert emitter.emit(event) is False
    (line,) = [json.loads(x) for x in capsys.readouterr().err.splitlines()]
    assert line["level"] == "error"
    assert line["msg"] == (
        f"lineage event model.lakehouse.nations START not sent: OPENLINEAGE_CONFIG names "
        f"{tmp_path / 'missing.yml'}, which is not a file"
    )


@pytest.mark.parametrize("missing", ["manifest.json", "run_results.json"])
def test_missing_artifacts_are_logged_and_send_nothing(tmp_path, capsys, missing, repo_root):
    for name, content in (("manifest.json", MANIFEST), ("run_results.json", run_results())):
        if name != missing:
            (tmp_path / name).write_text(json.dumps(content))
    emitter = Emitter({}, tmp_path / "events.jsonl")
    assert dbt_lineage.send(emitter, tmp_path, repo_root) == 0
    assert "dbt lineage events not built" in capsys.readouterr().err
    assert not (tmp_path / "events.jsonl").exists()
