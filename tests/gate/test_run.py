"""The gate's order, its refusal to go on, and when it publishes (no Spark, no dbt: a recording
runner)."""

import json
from datetime import datetime
from types import SimpleNamespace

from lakehouse import gate


def freshness_result(name: str, status: str, hours: float):
    limits = SimpleNamespace(
        warn_after=SimpleNamespace(count=2, period="day"),
        error_after=SimpleNamespace(count=7, period="day"),
    )
    node = SimpleNamespace(
        source_name="erp", name=name, freshness=limits, resource_type="source",
        original_file_path="models/sales/staging/erp/_erp__sources.yml",
    )  # fmt: skip
    return SimpleNamespace(
        node=node,
        status=status,
        age=hours * 3600,
        max_loaded_at=datetime(1998, 8, 2, 6),
        message="",
    )


class Recorder:
    def __init__(self, failing: set[str] = frozenset(), stale: dict[str, str] | None = None):
        self.calls: list[tuple[str, ...]] = []
        self.failing = failing
        self.stale = stale or {}  # source table -> warn | error

    def __call__(self, *args: str):
        self.calls.append(args)
        if args[0] == "run-operation":
            return SimpleNamespace(success="publish" not in self.failing, result=None)
        if args[:2] == ("source", "freshness"):
            hours = {"warn": 60.0, "error": 200.0}
            checked = [
                freshness_result(
                    name, self.stale.get(name, "pass"), hours.get(self.stale.get(name), 1.0)
                )
                for name in ("orders", "lineitems", "customer")
            ]
            hook = SimpleNamespace(
                node=SimpleNamespace(resource_type="operation"), status="success"
            )
            return SimpleNamespace(
                success="error" not in self.stale.values(), result=[hook, *checked]
            )
        selected = args[args.index("--select") + 1]
        stage = "curated" if "curated" in selected else "up"
        ok = stage not in self.failing
        node = SimpleNamespace(unique_id=f"model.lakehouse.{stage}", resource_type="model")
        status = "success" if ok else "error"
        return SimpleNamespace(success=ok, result=[SimpleNamespace(node=node, status=status)])


def vars_of(call: tuple[str, ...]) -> dict:
    return json.loads(call[call.index("--vars") + 1])


def test_upstream_then_curated_on_the_projects_branch_then_publish():
    runner = Recorder()
    outcome = gate.run(
        runner, project="sales", extra=("--exclude-resource-type", "unit_test"),
        variables={"shared_schemas": True},
    )  # fmt: skip
    assert outcome.success and outcome.published and outcome.stopped_before is None
    assert [call[0] for call in runner.calls] == ["source", "build", "build", "run-operation"]
    freshness, upstream, curated, publish = runner.calls
    # every source the build reads, other projects' too (what changed), judged only for its own
    assert freshness[:4] == ("source", "freshness", "--select", "+path:models/sales")
    assert upstream[1:9] == (
        "--select", "path:models/sales", "path:seeds/sales", "path:snapshots/sales",
        "--exclude", "path:models/sales/curated", "--indirect-selection", "empty",
    )  # fmt: skip
    assert upstream[-2:] == ("--exclude-resource-type", "unit_test")
    assert curated[1:4] == ("--select", "path:models/sales/curated", "path:tests/dbt/sales")
    for call in runner.calls:
        assert vars_of(call) == {"shared_schemas": True, "audit_branch": "audit_sales"}
    assert publish[1] == "audit_publish"
    assert json.loads(publish[publish.index("--args") + 1]) == {
        "branch": "audit_sales",
        "project": "sales",
    }


def test_a_failed_upstream_stage_builds_no_curated_table_and_publishes_nothing():
    runner = Recorder(failing={"up"})
    outcome = gate.run(runner)
    assert not outcome.success and not outcome.published
    assert outcome.stopped_before == "curated"
    assert [call[0] for call in runner.calls] == ["source", "build"]
    report = "\n".join(gate.report(outcome))
    assert "FAILED, nothing published" in report
    assert "model.lakehouse.up: error" in report
    assert "version as of 'audit_domain'" in report


def test_a_failed_curated_stage_publishes_nothing():
    runner = Recorder(failing={"curated"})
    outcome = gate.run(runner)
    assert not outcome.success and not outcome.published
    assert [call[0] for call in runner.calls] == ["source", "build", "build"]


def test_a_stage_of_the_schedule_audits_on_the_domains_branch_and_publishes_nothing():
    runner = Recorder()
    for stage in gate.STAGES:
        outcome = gate.run(runner, stages=(stage,), project="customers")
        assert outcome.success and not outcome.published
        assert "the schedule's last wave publishes" in gate.report(outcome)[-1]
    # freshness before the upstream stage only
    assert [call[0] for call in runner.calls] == ["source", "build", "build"]
    assert {vars_of(call)["audit_branch"] for call in runner.calls} == {"audit_domain"}


def test_the_schedules_publish_wave_publishes_one_projects_tables_from_the_domains_branch(
    monkeypatch, capsys
):
    runner = Recorder()
    monkeypatch.setattr(gate, "dbt_runner", lambda *a: runner)
    assert gate.main(["--project", "sales", "--stage", "publish"]) == 0
    (publish,) = runner.calls
    assert publish[:2] == ("run-operation", "audit_publish")
    assert json.loads(publish[publish.index("--args") + 1]) == {
        "branch": "audit_domain",
        "project": "sales",
    }
    assert "published from branch audit_domain" in capsys.readouterr().out


def test_a_failed_publish_fails_the_gate_and_says_to_run_it_again():
    outcome = gate.run(Recorder(failing={"publish"}))
    assert not outcome.success
    line = gate.report(outcome)[-1]
    assert "publishing branch audit_domain failed" in line and "run the gate again" in line


def test_one_stage_and_a_narrowed_selection():
    runner = Recorder()
    gate.run(runner, stages=("curated",), narrow="orders+")
    call = runner.calls[0]
    assert call[1:4] == ("--select", "path:models/*/curated,orders+", "path:tests/dbt/*,orders+")


def test_a_source_past_warn_after_is_reported_and_the_gate_goes_on():
    runner = Recorder(stale={"orders": "warn"})
    outcome = gate.run(runner)
    assert outcome.success and outcome.published
    report = gate.report(outcome)
    assert report[:2] == [
        "gate: freshness: 2 of 3 sources fresh",
        "  freshness WARN: source erp.orders last loaded 2.5 days ago (warn after 2 day; "
        "newest 1998-08-02 06:00:00)",
    ]
    assert "every node passed; published" in report[-1]


def test_a_source_past_error_after_fails_the_gate_before_anything_is_built():
    runner = Recorder(stale={"lineitems": "error", "orders": "warn"})
    outcome = gate.run(runner, project="sales")
    assert not outcome.success and not outcome.published
    assert [call[0] for call in runner.calls] == ["source"], "nothing built, nothing published"
    report = gate.report(outcome, "project sales")
    assert report[0] == "gate: freshness: 1 of 3 sources fresh"
    assert (
        "  freshness ERROR: source erp.lineitems last loaded 8.3 days ago (error after 7 day; "
        in report[2]
    )
    assert report[-1] == (
        "gate: project sales: FAILED before the build, nothing built or published: 1 source(s) "
        "past their error_after (load them, or fix the check, then run the gate again)"
    )


def test_vars_are_a_yaml_mapping():
    assert gate.parse_vars("{shared_schemas: true}") == {"shared_schemas": True}
    assert gate.parse_vars(None) == {}
