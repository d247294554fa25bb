"""What the domain's roles must NOT be able to do, tried against glue-local after the parity
build. Each check expects a refusal that names the role, the action and the resource; a check
that succeeds, or fails for another reason, is a parity problem.

1. A sales model reads a customers raw table through source(): the sales session role may not
   read the customers project's raw prefix (its own new table granted, as the next deployment
   would grant it).
2. One generated read grant removed (sales may read customers' `customers` table because its
   relationship test refs it): the test that needs it is refused.
3. A developer build writes a shared schema (a probe table that reads nothing, into
   cmr_refined): the developer session role may only write the developer's own schemas and
   prefixes.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lakehouse_jobs.domain import load_domain

from lakehouse.glue_local.resources import REGION, Resources

PROBE_MODEL = """\
{{ config(materialized='table', file_format='iceberg', group='sales', **iceberg_table_config()) }}

-- a refusal probe of make parity: sales reading the customers project's raw data
select * from {{ source('crm', 'customer') }}
"""
PROBE_WRITE = """\
{{ config(materialized='table', file_format='iceberg', group='sales', **iceberg_table_config()) }}

-- a refusal probe of make parity: a table that reads nothing, so only its write can be refused
select 1 as probe
"""
SHARED = "--vars", "{shared_schemas: true}"
DBT = str(Path(sys.executable).with_name("dbt"))


def _messages(results: Path) -> list[str]:
    if not results.exists():
        return []
    return [
        f"{r['unique_id']}: {r.get('message') or ''}"
        for r in json.loads(results.read_text())["results"]
        if r["status"] not in ("success", "pass")
    ]


def _expect(domain, what: str, argv: list[str], env: dict, wanted: list[str], cwd=None) -> str:
    """Runs a command that must be refused; '' when a failed node's message holds every
    `wanted` fragment, else the problem."""
    domain.run(argv, env, cwd)
    messages = _messages(Path(env["DBT_TARGET_PATH"]) / "run_results.json")
    if any(all(w in m for w in wanted) for m in messages):
        return ""
    found = "; ".join(m[:400] for m in messages) or "it was not refused"
    return f"{what}: expected a refusal naming {wanted}, got: {found}"


def _bundle_with_probes(work: Path) -> Path:
    from lakehouse.release import dbt_bundle

    archive = dbt_bundle.build(work / "dbt-project.zip")
    with zipfile.ZipFile(archive) as files:
        files.extractall(work / "project")
    refined = work / "project" / "models" / "sales" / "refined"
    (refined / "probe_reads_customers_raw.sql").write_text(PROBE_MODEL)
    (refined / "probe_writes_shared.sql").write_text(PROBE_WRITE)
    return work / "project"


@contextlib.contextmanager
def changed_policy(iam: Path, role: str, change) -> Iterator[None]:
    """The principals file with `change(resources) -> resources` applied to every statement of
    `role`'s policies (glue-local reads the file again at once); the original after."""
    original = iam.read_text()
    principals = json.loads(original)
    for principal in principals["principals"]:
        if principal["name"] == role:
            for policy in principal["policies"]:
                for statement in policy["document"]["Statement"]:
                    resources = statement.get("Resource")
                    if isinstance(resources, list):
                        statement["Resource"] = change(resources)
    iam.write_text(json.dumps(principals))
    try:
        yield
    finally:
        iam.write_text(original)


def check(domain, iam: Path) -> list[str]:
    """Every refusal parity expects; the problems (empty: every one refused as it must be)."""
    build = domain.builds["sales"]
    account = build.environment["DBT_GLUE_ROLE_ARN"].split(":")[4]
    names = load_domain()
    role = names.role("dev", "sales", "dbt-session")
    session = f"assumed-role/{role}/"
    problems = []

    # sales reading customers' raw data; the probe's own table granted as the next deployment
    # would grant a new model's
    arns = Resources(account, REGION, Path())
    orders = arns.table(names.database("refined"), "orders")
    probe_table = arns.table(names.database("refined"), "probe_reads_customers_raw")

    def with_probe(resources: list[str]) -> list[str]:
        return [*resources, probe_table] if orders in resources else resources

    tmp = tempfile.TemporaryDirectory()
    project = _bundle_with_probes(Path(tmp.name))

    def probe(model: str) -> list[str]:
        return [DBT, "run", "--target", "dev", *SHARED, "--select", model,
                "--project-dir", str(project)]  # fmt: skip

    def in_bundle(env: dict) -> dict:
        return {**env, "DBT_TARGET_PATH": str(Path(tmp.name) / "target")}

    with tmp, changed_policy(iam, role, with_probe):
        raw = f"arn:aws:s3:::{names.bucket('raw', 'dev', account)}/customers/"
        problems.append(_expect(
            domain, "sales reading customers' raw data", probe("probe_reads_customers_raw"),
            in_bundle(domain.stage_env("sales", "upstream")), [session, "s3:GetObject", raw],
            cwd=project,
        ))  # fmt: skip

        # a developer's build aimed at the shared schema, with a table that reads nothing:
        # what is refused is the write itself, in the shared database
        developer = f"assumed-role/{names.role('dev', 'sales', 'dbt-dev-session')}/"
        shared = arns.database(names.database("refined"))
        problems.append(_expect(
            domain, "a developer writing the shared schema", probe("probe_writes_shared"),
            in_bundle(domain.developer_env("sales")),
            [developer, "not authorized to perform: glue:CreateTable", shared], cwd=project,
        ))  # fmt: skip

    # sales' generated read grant of customers.customers taken away, in a first build (no
    # published state: the stage is built and tested whole, the relationship test included)
    granted = f"arn:aws:s3:::{names.bucket('refined', 'dev', account)}/customers/customers/*"
    without = changed_policy(iam, role, lambda resources: [r for r in resources if r != granted])
    with without, tempfile.TemporaryDirectory() as first_build:
        problems.append(_expect(
            domain, "sales without its read grant of customers.customers",
            domain.build_argv("sales", "upstream", Path(first_build)),
            domain.stage_env("sales", "upstream"),
            ["relationships_orders_customer_id", session, "s3:GetObject", granted],
        ))  # fmt: skip
    return [p for p in problems if p]
