"""The gate's order and its refusal to go on (no Spark, no dbt: a recording runner)."""

from types import SimpleNamespace

from lakehouse import gate


class Recorder:
    def __init__(self, failing: set[str] = frozenset()):
        self.calls: list[tuple[str, ...]] = []
        self.failing = failing

    def __call__(self, *args: str):
        self.calls.append(args)
        selected = args[args.index("--select") + 1]
        stage = "curated" if "curated" in selected else "up"
        ok = stage not in self.failing
        return SimpleNamespace(success=ok, result=[SimpleNamespace(stage=stage)])


def test_upstream_then_curated_with_the_extra_arguments():
    runner = Recorder()
    outcome = gate.run(runner, project="sales", extra=("--vars", "{shared_schemas: true}"))
    assert outcome.success and outcome.stopped_before is None
    assert [call[0] for call in runner.calls] == ["build", "build"]
    upstream, curated = runner.calls
    assert upstream[1:] == (
        "--select", "path:models/sales", "path:seeds/sales", "path:snapshots/sales",
        "--exclude", "path:models/sales/curated", "--indirect-selection", "empty",
        "--vars", "{shared_schemas: true}",
    )  # fmt: skip
    assert curated[1:4] == ("--select", "path:models/sales/curated", "path:tests/dbt/sales")


def test_a_failed_upstream_stage_builds_no_curated_table():
    runner = Recorder(failing={"up"})
    outcome = gate.run(runner)
    assert not outcome.success
    assert outcome.stopped_before == "curated"
    assert len(runner.calls) == 1


def test_one_stage_and_a_narrowed_selection():
    runner = Recorder()
    gate.run(runner, stages=("curated",), narrow="orders+")
    (call,) = runner.calls
    assert call[1:4] == ("--select", "path:models/*/curated,orders+", "path:tests/dbt/*,orders+")
