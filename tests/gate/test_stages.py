"""The gate's stages select every node of the project exactly once (no Spark: `dbt ls`): each
project's upstream and curated stages partition its models, seeds, snapshots, data tests and
unit tests; the domain's stages partition them all; the schedule's stages are the gate's."""

from __future__ import annotations

import json

import pytest

from lakehouse import gate, projects
from lakehouse.release import project_access

KINDS = ("model", "seed", "snapshot", "test", "unit_test")


@pytest.fixture(scope="module")
def ls(repo_root, tmp_path_factory):
    from dbt.cli.main import dbtRunner

    target = tmp_path_factory.mktemp("target")

    def run(*selection: str) -> set[str]:
        kinds = [arg for kind in KINDS for arg in ("--resource-type", kind)]
        result = dbtRunner().invoke(
            ["ls", *selection, *kinds, "--output", "json", "--output-keys", "unique_id",
             "--project-dir", str(repo_root), "--profiles-dir", str(repo_root / "profiles"),
             "--target-path", str(target), "--target", "local", "--quiet"]
        )  # fmt: skip
        assert result.success, result.exception
        return {json.loads(line)["unique_id"] for line in result.result}

    return run


def test_each_projects_stages_partition_its_nodes(ls):
    everything = ls()
    seen: set[str] = set()
    for project in projects.projects():
        upstream = ls(*gate.selection("upstream", project))
        curated = ls(*gate.selection("curated", project))
        assert upstream and curated, project
        assert not upstream & curated, project
        assert not (upstream | curated) & seen, project
        seen |= upstream | curated
    assert seen == everything


def test_the_domains_stages_are_the_projects_together(ls):
    domain = ls(*gate.selection("upstream")) | ls(*gate.selection("curated"))
    assert domain == ls()
    assert all(
        uid.startswith(("model.", "test.", "unit_test.")) for uid in ls(*gate.selection("curated"))
    )


def test_the_schedule_stages_a_node_where_the_gate_builds_it(ls, repo_root, tmp_path):
    from dbt.cli.main import dbtRunner

    dbtRunner().invoke(
        ["parse", "--project-dir", str(repo_root), "--profiles-dir", str(repo_root / "profiles"),
         "--target-path", str(tmp_path), "--target", "local", "--quiet"]
    )  # fmt: skip
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    for uid in ls(*gate.selection("curated", "sales")):
        if uid in manifest["nodes"]:
            assert project_access.stage_of(manifest["nodes"][uid]) == "curated", uid
    for uid in ls(*gate.selection("upstream", "sales")):
        if uid in manifest["nodes"]:
            assert project_access.stage_of(manifest["nodes"][uid]) == "upstream", uid


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage 'gold': one of upstream, curated"):
        gate.selection("gold")
