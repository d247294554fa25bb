"""A daily build builds what changed since the scope's last publish (lakehouse.published_state):
the gate's dbt selection, and when the published state moves (no dbt: a recording runner that
writes what dbt writes to its target folder)."""

import json

from test_run import Recorder

from lakehouse import gate
from lakehouse.published_state import PublishedState

CHANGED = [
    "source_status:fresher+,resource_type:model",
    "source_status:fresher+,resource_type:snapshot",
    "source_status:fresher+,resource_type:test",
    "state:modified+",
]


class WritingRecorder(Recorder):
    """Writes sources.json on a freshness check and manifest.json on a build, as dbt does."""

    def __init__(self, target, **kwargs):
        super().__init__(**kwargs)
        self.target = target
        self.checks = 0

    def __call__(self, *args: str):
        self.target.mkdir(parents=True, exist_ok=True)
        if args[:2] == ("source", "freshness"):
            self.checks += 1
            (self.target / "sources.json").write_text(json.dumps({"check": self.checks}))
        elif args[0] == "build":
            (self.target / "manifest.json").write_text(json.dumps({"built": len(self.calls)}))
        return super().__call__(*args)


def selected(call: tuple[str, ...]) -> list[str]:
    start = call.index("--select") + 1
    end = next(i for i in range(start, len(call)) if call[i].startswith("--"))
    return list(call[start:end])


def published(state: PublishedState) -> dict:
    return {n: json.loads((state.published / n).read_text()) for n in ("sources.json",)}


def test_a_first_build_builds_whole_and_records_what_it_published(tmp_path):
    target = tmp_path / "target"
    state = PublishedState(tmp_path / "state", "domain", target)
    runner = WritingRecorder(target)
    assert gate.run(runner, state=state).published
    _, upstream, curated, _ = runner.calls
    assert "--state" not in upstream and "--state" not in curated
    assert selected(curated) == ["path:models/*/curated", "path:tests/dbt/*"]
    assert published(state) == {"sources.json": {"check": 1}}
    assert (state.published / "manifest.json").exists()


def test_the_next_build_selects_what_changed_since_the_publish(tmp_path):
    target = tmp_path / "target"
    state = PublishedState(tmp_path / "state", "sales", target)
    runner = WritingRecorder(target)
    gate.run(runner, project="sales", state=state)
    runner.calls.clear()
    assert gate.run(runner, project="sales", state=state).published
    _, upstream, curated, _ = runner.calls
    assert selected(curated) == [
        f"{path},{term}" for path in ("path:models/sales/curated", "path:tests/dbt/sales")
        for term in CHANGED
    ]  # fmt: skip
    assert upstream[upstream.index("--state") + 1] == str(state.published)
    assert published(state) == {"sources.json": {"check": 2}}


def test_a_full_refresh_or_a_narrowed_build_builds_whole_and_only_a_whole_one_records(tmp_path):
    target = tmp_path / "target"
    state = PublishedState(tmp_path / "state", "domain", target)
    runner = WritingRecorder(target)
    gate.run(runner, state=state)
    runner.calls.clear()
    gate.run(runner, extra=("--full-refresh",), state=state)
    assert "--state" not in runner.calls[1] and "--state" not in runner.calls[2]
    assert published(state) == {"sources.json": {"check": 2}}
    runner.calls.clear()
    gate.run(runner, narrow="orders+", state=state)
    assert selected(runner.calls[2]) == [
        "path:models/*/curated,orders+",
        "path:tests/dbt/*,orders+",
    ]
    assert published(state) == {"sources.json": {"check": 2}}, "narrowed: not everything built"


def test_a_failed_build_publishes_no_state_and_its_sources_stay_in_scope(tmp_path):
    target = tmp_path / "target"
    state = PublishedState(tmp_path / "state", "domain", target)
    runner = WritingRecorder(target)
    gate.run(runner, state=state)
    failing = WritingRecorder(target, failing={"curated"})
    failing.checks = runner.checks
    assert not gate.run(failing, state=state).success
    assert published(state) == {"sources.json": {"check": 1}}


def test_the_schedules_waves_select_against_the_upstream_check_and_publish_it(tmp_path):
    """upstream, curated and publish run as separate builds (separate target folders)."""
    state_root = tmp_path / "state"
    first = WritingRecorder(tmp_path / "t0")
    gate.run(first, project="supply", state=PublishedState(state_root, "supply", first.target))

    waves = []
    for number, stage in enumerate(("upstream", "curated", "publish")):
        target = tmp_path / f"t{number + 1}"
        runner = WritingRecorder(target)
        runner.checks = 1
        state = PublishedState(state_root, "supply", target)
        stages = () if stage == "publish" else (stage,)
        outcome = gate.run(runner, stages, "supply", publish=stage == "publish", state=state)
        assert outcome.success
        waves.append(runner.calls)
        if stage != "publish":
            assert published(state) == {"sources.json": {"check": 1}}, "not before the publish"
    upstream, curated, publish = waves
    assert [c[0] for c in upstream] == ["source", "build"]
    assert [c[0] for c in curated] == ["build"], "no second check: the upstream one is kept"
    assert "--state" in curated[0] and CHANGED[0] in selected(curated[0])[0]
    assert [c[0] for c in publish] == ["run-operation"]
    assert published(state) == {"sources.json": {"check": 2}}


def test_another_projects_stale_source_is_read_not_judged(tmp_path):
    runner = Recorder(stale={"orders": "error"})
    outcome = gate.run(runner, project="customers")
    assert outcome.success, "erp is sales' source: the customers build reads it, sales judges it"
    assert runner.calls[0][3] == "+path:models/customers"
