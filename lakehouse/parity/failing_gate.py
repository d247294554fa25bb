"""make parity's failing gate, through dbt-glue on glue-local as sales' session role: a failed
test publishes nothing on AWS either.

1. A probe table of sales' refined layer (one row, a `unique` test) is built on the schedule's
   audit branch and published by sales' publish stage (its CodeBuild command): main holds 1 row.
2. Built again with its key twice: the unique test fails, so the schedule would stop before its
   publish wave. Main keeps its snapshot and its row; the branch holds the 2 new rows (the test
   read the branch: main alone would pass it).
The probe is then dropped, so the fingerprints compare the domain alone.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from lakehouse_jobs.domain import load_domain

from lakehouse.gate import audit_branch
from lakehouse.glue_local.client import run_python
from lakehouse.glue_local.resources import REGION, Resources
from lakehouse.parity.refusals import DBT, changed_policy

PROBE = "probe_audited"
PROBE_SQL = """\
{{{{ config(materialized='table', file_format='iceberg', group='sales',
           **iceberg_table_config()) }}}}

-- make parity's failing gate: a key that is unique, or not
select 1 as probe_id{duplicate}
"""
PROBE_YML = f"""\
version: 2
models:
  - name: {PROBE}
    columns:
      - name: probe_id
        data_tests: [unique]
"""
BRANCH = audit_branch()  # the schedule's stages write it; its publish wave publishes it


def _state(url: str, table: str) -> dict:
    """Main's snapshot and rows, and the branch's rows (none without the branch)."""
    code = f"""
import json
refs = {{r[0]: r[1] for r in spark.sql("select name, snapshot_id from {table}.refs").collect()}}
count = lambda q: spark.sql(q).first()[0]
print(json.dumps({{
    "main": refs.get("main"),
    "main_rows": count("select count(*) from {table}"),
    "branch_rows": count("select count(*) from {table} version as of '{BRANCH}'")
    if "{BRANCH}" in refs else None,
}}))
"""
    return json.loads(run_python(url, code))


def check(domain, iam: Path) -> list[str]:
    """The problems (empty: nothing failed was published)."""
    names = load_domain()
    build = domain.builds["sales"]
    account = build.environment["DBT_GLUE_ROLE_ARN"].split(":")[4]
    table = f"{names.database('refined')}.{PROBE}"
    arns = Resources(account, REGION, Path())
    granted = arns.table(names.database("refined"), PROBE)
    orders = arns.table(names.database("refined"), "orders")

    def with_probe(resources: list[str]) -> list[str]:
        return [*resources, granted] if orders in resources else resources

    with tempfile.TemporaryDirectory() as tmp:
        project = _bundle(Path(tmp))
        env = {**domain.stage_env("sales", "upstream"), "DBT_TARGET_PATH": f"{tmp}/target"}
        audited = [DBT, "build", "--target", "dev", "--select", PROBE, "--vars",
                   json.dumps({"shared_schemas": True, "audit_branch": BRANCH})]  # fmt: skip
        publish = (build.argv("publish"), {**env, "STAGE": "publish"})
        role = names.role("dev", "sales", "dbt-session")
        problems: list[str] = []
        with changed_policy(iam, role, with_probe):
            try:
                _write_probe(project, duplicate=False)
                if failed := domain.run(audited, env, project) + domain.run(*publish, project):
                    return [f"failing gate: the probe's first build and publish failed: {failed}"]
                published = _state(url=domain.url, table=table)
                _write_probe(project, duplicate=True)
                failed = domain.run(audited, env, project)
                if not any(f"unique_{PROBE}_probe_id" in f for f in failed):
                    problems.append(f"failing gate: the duplicate key did not fail: {failed}")
                after = _state(url=domain.url, table=table)
                expected = {**published, "branch_rows": 2}
                if published["main_rows"] != 1 or after != expected:
                    problems.append(
                        f"failing gate: published {published}, after the failed build {after} "
                        f"(expected {expected})"
                    )
            finally:
                run_python(domain.url, f"spark.sql('drop table if exists {table}')")
    return problems


def _bundle(work: Path) -> Path:
    from lakehouse.release import dbt_bundle

    with zipfile.ZipFile(dbt_bundle.build(work / "dbt-project.zip")) as files:
        files.extractall(work / "project")
    (work / "project" / "models" / "sales" / "refined" / f"_{PROBE}.yml").write_text(PROBE_YML)
    return work / "project"


def _write_probe(project: Path, duplicate: bool) -> None:
    rows = "\nunion all\nselect 1 as probe_id" if duplicate else ""
    path = project / "models" / "sales" / "refined" / f"{PROBE}.sql"
    path.write_text(PROBE_SQL.format(duplicate=rows))
