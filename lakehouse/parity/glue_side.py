"""The glue side of `make parity`: the domain built on glue-local as AWS builds it.

glue-local enforces the IAM policies of the rendered Terraform plans. Into it go the
reference's raw tables (byte for byte, on the raw bucket's folder); then the domain schedule's
waves run, each stage of a project through that project's CodeBuild command (the gate), as its
dbt runner calling and its session role building, the last wave publishing what the others
audited; then again for the upstream stages and the publish (the incremental models merge, the
snapshots compare), every gate putting its metrics to a moto server standing in for CloudWatch
(lakehouse.parity.gate_metrics); then one developer build as the README has it; then the
docs; the checks that what must be refused is refused; and a failing test that must publish
nothing (lakehouse.parity.failing_gate).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lakehouse_jobs.domain import load_domain

from lakehouse.environment import fresh
from lakehouse.glue_local.client import (
    ADMIN,
    ADMIN_ROLE,
    dbt_env,
    glue_local,
    logged,
    run_python,
    s3_path,
)
from lakehouse.glue_local.iam import Policy
from lakehouse.glue_local.principals import Principal, Principals
from lakehouse.parity import gate_metrics
from lakehouse.parity.fingerprints import failed_nodes, manifest_relations, uncatalogued
from lakehouse.parity.moto_server import MotoServer
from lakehouse.parity.pipelines import Build, domain_waves, project_build, resources

ENVIRONMENT = "dev"  # the environment the plans are rendered for
DEVELOPER = "jdoe"  # the README's developer
DEVELOPER_PROJECT = "sales"
TRUST_GLUE = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "glue.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
}
EVERYTHING = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def domain_principals(rendered) -> Principals:
    """The plans' roles and policies; a developer with every project's developer policy (as
    the README says to attach it); glue-local's own admin for parity's loading."""
    shows = [rendered.baseline, *rendered.projects.values()]
    principals = Principals.from_terraform(shows, rendered.account_id)
    prefix = f"{load_domain().abbreviation}-{ENVIRONMENT}"
    developer_policies = [
        principals.managed_policy(f"{prefix}-{project}-dbt-developer")
        for project in sorted(rendered.projects)
    ]
    principals.add_user(DEVELOPER, developer_policies)
    admin = Principal(ADMIN, ADMIN_ROLE, [Policy.parse("admin", EVERYTHING)], TRUST_GLUE)
    principals.by_name[ADMIN] = admin
    return principals


def create_databases(url: str, baseline: dict, home: Path) -> list[str]:
    """The Glue databases the baseline creates (from its plan), as it creates them: no dbt role
    may create a shared database, so without them the builds would be refused."""
    statements = []
    for database in resources(baseline, "aws_glue_catalog_database"):
        location = database.get("location_uri")
        clause = f" location '{s3_path(home, location)}'" if location else ""
        statements.append(f"create database if not exists {database['name']}{clause}")
    run_python(url, "\n".join(f"spark.sql({s!r})" for s in statements))
    return statements


def load_sources(url: str, ddl: dict[str, dict], reference: Path, home: Path, account: str):
    """The reference's raw tables, byte for byte, where the raw bucket stands in glue-local:
    their folders copied from <reference>/warehouse/<layer>/... to <home>/s3/<bucket>/...,
    then declared with the same DDL and the same partitions."""
    domain = load_domain()

    def copied(location: str) -> str:
        source = Path(location.removeprefix("file:"))
        layer, *rest = source.relative_to(reference / "warehouse").parts
        bucket = domain.bucket(layer, ENVIRONMENT, account)
        target = Path(s3_path(home, f"s3://{bucket}/{'/'.join(rest)}"))
        shutil.copytree(source, target, dirs_exist_ok=True)
        return str(target)

    statements = []
    for table, spec in ddl.items():
        table_location = re.search(r"LOCATION '([^']+)'", spec["create"]).group(1)
        statements.append(spec["create"].replace(table_location, copied(table_location)))
        statements += [
            f"alter table {table} add if not exists partition ({part}) location '{copied(where)}'"
            for part, where in spec["partitions"]
        ]
    databases = sorted({table.split(".")[0] for table in ddl})
    code = [f"spark.sql('create database if not exists {d}')" for d in databases]
    code += [f"spark.sql({statement!r})" for statement in statements]
    run_python(url, "\n".join(code))


def glue_fingerprints(url: str, relations: list[str]) -> dict[str, dict]:
    code = (
        "import json\nfrom lakehouse.parity.fingerprints import table_fingerprints\n"
        f"print(json.dumps(table_fingerprints(spark, {relations!r})))"
    )
    return json.loads(run_python(url, code))


@dataclass
class GlueDomain:
    """glue-local serving the domain, and what parity runs against it."""

    url: str
    home: Path
    builds: dict[str, Build]
    cloudwatch_url: str  # where the gates put their metrics (lakehouse.parity.gate_metrics)
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.home / "dbt.log"

    def run(self, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> list[str]:
        """A command (a gate, a dbt run) in a child process, logged; the dbt nodes that did not
        pass (or the exit code, when it failed without a failed node)."""
        results = Path(env["DBT_TARGET_PATH"]) / "run_results.json"
        results.unlink(missing_ok=True)
        if argv[0] == "python":
            argv = [sys.executable, *argv[1:]]
        code = logged(argv, env, self.log, cwd)
        failed = failed_nodes(results) if results.exists() else []
        return failed or ([f"exit code {code}"] if code else [])

    def stage_env(self, project: str, stage: str) -> dict[str, str]:
        """The environment of the project's CodeBuild for a stage, pointed at glue-local, as
        its service role (the dbt runner) calling."""
        build = self.builds[project]
        env = dbt_env(self.url, self.home, build.service_role, **build.env(stage))
        return {**env, gate_metrics.ENDPOINT_VARIABLE: self.cloudwatch_url}

    def stage(self, project: str, stage: str) -> list[str]:
        """One stage of one project, exactly as its pipeline's CodeBuild runs it."""
        return self.run(self.build_argv(project, stage), self.stage_env(project, stage))

    def build_argv(self, project: str, stage: str, state: Path | None = None) -> list[str]:
        """The build command of a stage; its gate state folder (relative: in CodeBuild's source
        folder, synced with S3 around the build) in this home, not in the checkout, or `state`
        (an empty folder: a first build, which builds and tests its stage whole)."""
        argv = self.builds[project].argv(stage)
        at = argv.index("--state-dir") + 1
        return [*argv[:at], str(state or self.home / argv[at]), *argv[at + 1 :]]

    def developer_env(self, project: str, **extra: str) -> dict[str, str]:
        """The README's developer environment for `project` (its dev session role)."""
        account = self.builds[project].environment["DBT_GLUE_ROLE_ARN"].split(":")[4]
        role = load_domain().role(ENVIRONMENT, project, "dbt-dev-session")
        location = self.builds[project].environment["DBT_GLUE_LOCATION"]
        values = {
            "DBT_DEVELOPER": DEVELOPER,
            "DBT_PROJECT": project,
            "DBT_GLUE_ROLE_ARN": f"arn:aws:iam::{account}:role/{role}",
            "DBT_GLUE_LOCATION": f"{location.rstrip('/')}/_developers/{DEVELOPER}/",
            "DBT_GLUE_SESSION_ID": f"dbt-{DEVELOPER}-{project}",
            **extra,
        }
        return dbt_env(self.url, self.home, DEVELOPER, **values)


def glue_side(home: Path, reference: Path, ddl: dict, manifest: Path, rendered) -> dict:
    """glue-local on `home` (emptied first), enforcing the rendered policies: sources, the
    schedule twice (the second time its upstream stages and the publish) and the metrics its
    gates put, a developer build, the docs, the refusals, the fingerprints."""
    from lakehouse.parity import failing_gate, refusals

    report: dict = {"failures": [], "refusals": []}
    relations = manifest_relations(manifest)
    fresh(home)
    iam = domain_principals(rendered).write(home.parent / "glue-principals.json")
    waves = domain_waves(rendered.baseline)
    builds = {p: project_build(show, p) for p, show in rendered.projects.items()}
    report["waves"] = [[f"{p} {s}" for p, s in wave] for wave in waves]
    cloudwatch = MotoServer(home.parent / "cloudwatch.log")
    with cloudwatch, glue_local(home, iam) as (url, pid):
        report["server_pid"] = pid
        domain = GlueDomain(url, home, builds, cloudwatch.url)
        create_databases(url, rendered.baseline, home)
        timed(report, "sources", load_sources, url, ddl, reference, home, rendered.account_id)
        again = [w for w in waves if w[0][1] in ("upstream", "publish")]
        since = datetime.now(UTC)
        for run, schedule in ((1, waves), (2, again)):
            started = time.monotonic()
            for wave in schedule:
                for project, stage in wave:
                    if failed := domain.stage(project, stage):
                        report["failures"].append(f"run {run}, {project} {stage}: {failed}")
            report[f"seconds_schedule_{run}"] = round(time.monotonic() - started, 1)
        report["failures"] += gate_metrics.check(cloudwatch.client("cloudwatch"), builds, since)
        started = time.monotonic()
        env = domain.developer_env(DEVELOPER_PROJECT)
        gate = ["python", "-m", "lakehouse.gate", "--target", "dev", "--project", DEVELOPER_PROJECT]
        if failed := domain.run(gate, env):
            report["failures"].append(f"developer build of {DEVELOPER_PROJECT}: {failed}")
        report["seconds_developer"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        docs = ["python", "-m", "lakehouse.docs.site", "generate", "--target", ENVIRONMENT]
        docs_env = domain.stage_env(sorted(builds)[0], "all")
        if failed := domain.run([*docs, "--vars", "{shared_schemas: true}"], docs_env):
            report["failures"].append(f"dbt docs generate failed: {failed}")
        elif missing := uncatalogued(home / "dbt-target" / "catalog.json", manifest):
            report["failures"].append(f"not in the docs catalog: {missing}")
        report["seconds_docs"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        report["refusals"] = refusals.check(domain, iam)
        report["seconds_refusals"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        report["failures"] += failing_gate.check(domain, iam)
        report["seconds_failing_gate"] = round(time.monotonic() - started, 1)
        prints = sorted(set(relations.values()))
        report["fingerprints"] = glue_fingerprints(url, prints)
        copies = developer_relations(manifest, DEVELOPER_PROJECT)
        found = glue_fingerprints(url, sorted(copies))
        report["developer_fingerprints"] = {copies[copy]: prints for copy, prints in found.items()}
    return report


def developer_relations(manifest: Path, project: str) -> dict[str, str]:
    """The developer's copies of the project's relations (schema <layer>_<developer>), each
    with the shared relation it must equal."""
    nodes = json.loads(manifest.read_text())["nodes"]
    return {
        f"{relation.split('.')[0]}_{DEVELOPER}.{relation.split('.')[1]}": relation
        for uid, relation in manifest_relations(manifest).items()
        if nodes[uid]["original_file_path"].split("/")[1] == project
    }


def timed(report: dict, name: str, function, *args) -> None:
    started = time.monotonic()
    function(*args)
    report[f"seconds_{name}"] = round(time.monotonic() - started, 1)
