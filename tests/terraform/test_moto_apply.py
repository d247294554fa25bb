"""A real apply of the baseline and one project against a local moto server, a second plan
that must show no changes, policy lint and isolation checks on the deployed policies, then
destroy. Proves wiring (every resource is accepted, ordering, references, no drift); moto
validates little (policy meaning, event patterns, script contents), see docs/terraform.md."""

from __future__ import annotations

import json
import os
import shlex
import string
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from lakehouse.release import dbt_bundle

from .iam_checks import allows, isolation_violations, parliament_findings
from .moto_env import MotoServer
from .terraform_cli import FIXTURES, Terraform, domain_projects, make_workspace

pytestmark = pytest.mark.terraform

PROJECT = "sales"
ACCOUNT = "123456789012"
ENV = "dev"
BASELINE_VARS = [
    f"-var=environment={ENV}",
    "-var=force_destroy_buckets=true",
    "-var=git_sha=0123abc",
    "-var=deployed_by=pytest",
    "-var=repository=tests",
]
PROJECT_VARS = [
    f"-var=project={PROJECT}",
    f"-var=environment={ENV}",
    f"-var=source_root={FIXTURES / 'repo'}",
    "-var=git_sha=0123abc",
    "-var=deployed_by=pytest",
    "-var=repository=tests",
]


@dataclass
class Deployment:
    terraform: Terraform
    moto: MotoServer
    work: Path
    stacks: dict[str, Path]
    timings: dict[str, float] = field(default_factory=dict)
    destroyed: bool = False
    states: dict[str, dict] = field(default_factory=dict)

    def tf(self, stack: str, args: list[str], **kw):
        return self.terraform.run(
            args, cwd=self.stacks[stack], data_dir=self.work / f"tfdata-{stack}", **kw
        )

    def timed(self, label: str, stack: str, args: list[str], **kw):
        start = time.monotonic()
        proc = self.tf(stack, args, **kw)
        self.timings[label] = round(time.monotonic() - start, 1)
        (self.work / f"{label.replace(' ', '-')}.log").write_text(proc.stdout + proc.stderr)
        return proc

    def state(self, stack: str, fresh: bool = False) -> dict:
        """`terraform show -json` of a stack (cached: each call loads the provider schema)."""
        if fresh or stack not in self.states:
            self.states[stack] = json.loads(self.tf(stack, ["show", "-json"]).stdout)
        return self.states[stack]

    def boto(self, service: str):
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.moto.url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def _resources(state: dict) -> list[dict]:
    out = []

    def walk(module):
        out.extend(module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(state.get("values", {}).get("root_module", {}))
    return out


def _simulate_dbt_tables(dep: Deployment) -> None:
    """The optimizers need the tables dbt creates: register the fixture models as Iceberg
    tables, as a first dbt build would."""
    glue = dep.boto("glue")
    for layer in ("refined", "curated"):
        for model in sorted((FIXTURES / "repo" / "models" / PROJECT / layer).glob("*.sql")):
            glue.create_table(
                DatabaseName=f"cmr_{layer}",
                TableInput={
                    "Name": model.stem,
                    "TableType": "EXTERNAL_TABLE",
                    "Parameters": {"table_type": "ICEBERG"},
                    "StorageDescriptor": {
                        "Location": f"s3://ie-cmr-{ENV}-{layer}-{ACCOUNT}/{PROJECT}/{model.stem}/"
                    },
                },
            )


@pytest.fixture(scope="module")
def deployment(terraform, tmp_path_factory):
    if os.environ.get("TF_TESTS_MOTO") == "0":
        pytest.skip("moto apply disabled by TF_TESTS_MOTO=0")
    work = tmp_path_factory.mktemp("moto")
    tf = make_workspace(work / "ws")
    stacks = {"baseline": tf / "baseline", PROJECT: tf / "project"}
    moto = MotoServer(work / "moto.log")
    dep = Deployment(terraform=terraform, moto=moto, work=work, stacks=stacks)
    try:
        for name, root in stacks.items():
            (root / "moto_override.tf").write_text(moto.override(work / f"{name}.tfstate"))
            dep.timed(f"init {name}", name, ["init", "-lockfile=readonly"])
        dep.timed(
            "apply baseline", "baseline", ["apply", "-auto-approve", *BASELINE_VARS], timeout=900
        )
        _simulate_dbt_tables(dep)
        dep.timed(
            f"apply {PROJECT}", PROJECT, ["apply", "-auto-approve", *PROJECT_VARS], timeout=900
        )
        yield dep
    finally:
        try:
            if not dep.destroyed:
                dep.tf(
                    PROJECT,
                    ["destroy", "-auto-approve", "-refresh=false", *PROJECT_VARS],
                    check=False,
                )
                dep.tf(
                    "baseline",
                    ["destroy", "-auto-approve", "-refresh=false", *BASELINE_VARS],
                    check=False,
                )
        finally:
            moto.stop()
            (work / "timings.json").write_text(json.dumps(dep.timings, indent=1))
            print(f"\nmoto apply timings (s): {dep.timings} (logs in {work})")


def test_apply_created_the_stacks(deployment):
    base = _resources(deployment.state("baseline"))
    proj = _resources(deployment.state(PROJECT))
    managed = [r for r in base + proj if r["mode"] == "managed"]
    types = {r["type"] for r in managed}
    for expected in (
        "aws_s3_bucket",
        "aws_kms_key",
        "aws_glue_catalog_database",
        "aws_vpc",
        "aws_vpc_endpoint",
        "aws_flow_log",
        "aws_glue_connection",
        "aws_sns_topic",
        "aws_cloudwatch_event_rule",
        "aws_iam_role",
        "aws_glue_job",
        "aws_glue_catalog_table_optimizer",
        "aws_sfn_state_machine",
        "aws_codebuild_project",
    ):
        assert expected in types, f"no {expected} was applied"
    jobs = sorted(r["values"]["name"] for r in managed if r["type"] == "aws_glue_job")
    assert jobs == ["cmr-dev-sales-ingest-lineitems", "cmr-dev-sales-ingest-orders"]
    # the scripts were uploaded where the jobs look for them
    s3 = deployment.boto("s3")
    keys = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket=f"ie-cmr-dev-artifacts-{ACCOUNT}", Prefix="glue/sales/")[
            "Contents"
        ]
    ]
    assert sorted(keys) == ["glue/sales/ingest_lineitems.py", "glue/sales/ingest_orders.py"]


def test_the_scheduled_dbt_build_resolves_in_the_published_bundle(deployment, tmp_path):
    """What the pipeline's CodeBuild runs (its buildspec and environment, as applied) against
    what the deploy workflow publishes (lakehouse.release.dbt_bundle): dbt finds the profile,
    needs no developer, selects the project's nodes in the environment's shared schemas, no
    unit test."""
    (codebuild,) = [
        r["values"]
        for r in _resources(deployment.state(PROJECT))
        if r["type"] == "aws_codebuild_project"
    ]
    source = codebuild["source"][0]
    assert source["location"] == f"ie-cmr-{ENV}-artifacts-{ACCOUNT}/dbt/0123abc/dbt-project.zip"
    spec = yaml.safe_load(source["buildspec"])
    env = dict(spec["env"]["variables"])
    env |= {v["name"]: v["value"] for v in codebuild["environment"][0]["environment_variable"]}
    assert env["DBT_GLUE_LOCATION"] == f"s3://ie-cmr-{ENV}-refined-{ACCOUNT}/{PROJECT}/"
    assert env["DBT_GLUE_SESSION_ID"] == f"cmr-{ENV}-{PROJECT}-dbt"
    (command,) = spec["phases"]["build"]["commands"]
    args = shlex.split(string.Template(command).substitute(env))
    assert args[:2] == ["dbt", "build"]

    bundle = tmp_path / "bundle"
    with zipfile.ZipFile(dbt_bundle.build(tmp_path / "dbt-project.zip")) as archive:
        archive.extractall(bundle)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "AWS_"))}
    listed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "ls",
            *args[2:],
            *("--output", "json", "--output-keys", "resource_type schema name original_file_path"),
        ],
        cwd=bundle,
        env={**clean, **env, "AWS_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stdout[-3000:] + listed.stderr[-3000:]
    nodes = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    models = {n["name"]: n for n in nodes if n["resource_type"] == "model"}
    assert {"orders", "lineitems", "stg_erp__orders"} <= set(models)
    assert all(n["original_file_path"].startswith("models/sales/") for n in models.values())
    assert {n["schema"] for n in models.values()} == {"cmr_staging", "cmr_refined", "cmr_curated"}
    types = {n["resource_type"] for n in nodes}
    assert "test" in types
    assert "unit_test" not in types


def test_traceability_tags_on_every_taggable_resource(deployment):
    for stack in ("baseline", PROJECT):
        for r in _resources(deployment.state(stack)):
            tags = r["values"].get("tags_all") if r["mode"] == "managed" else None
            if tags is None:
                continue
            assert tags.get("git_sha") == "0123abc", f"{r['address']} lacks git_sha"
            assert tags.get("deployed_by") == "pytest", f"{r['address']} lacks deployed_by"
            assert tags.get("repository") == "tests", f"{r['address']} lacks repository"


@pytest.mark.parametrize("stack", ["baseline", PROJECT])
def test_second_plan_shows_no_changes(deployment, stack):
    variables = BASELINE_VARS if stack == "baseline" else PROJECT_VARS
    proc = deployment.timed(
        f"re-plan {stack}", stack, ["plan", "-detailed-exitcode", *variables], check=False
    )
    assert proc.returncode == 0, f"plan after apply is not empty (drift):\n{proc.stdout[-6000:]}"


def _deployed_policies(dep: Deployment) -> dict[str, str]:
    """Every IAM policy the stacks deployed (inline and managed), read back from the state."""
    out = {}
    for stack in ("baseline", PROJECT):
        for r in _resources(dep.state(stack)):
            if r["type"] in ("aws_iam_role_policy", "aws_iam_policy") and r["mode"] == "managed":
                out[f"{stack}:{r['address']}"] = r["values"]["policy"]
    return out


def test_policies_pass_parliament(deployment):
    policies = _deployed_policies(deployment)
    assert len(policies) >= 7
    findings = {name: parliament_findings(doc) for name, doc in policies.items()}
    assert not {k: v for k, v in findings.items() if v}, findings


def test_project_policies_are_isolated(deployment):
    others = [p for p in domain_projects() if p != PROJECT] or ["customers", "supply"]
    layer_buckets = [f"ie-cmr-{ENV}-{layer}-{ACCOUNT}" for layer in ("raw", "refined", "curated")]
    artifacts = f"ie-cmr-{ENV}-artifacts-{ACCOUNT}"
    project_policies = {
        k: v for k, v in _deployed_policies(deployment).items() if k.startswith(f"{PROJECT}:")
    }
    assert len(project_policies) == 6
    for name, doc in project_policies.items():
        assert isolation_violations(doc, PROJECT, others, layer_buckets, artifacts) == [], name
        for other in others:
            for bucket in layer_buckets:
                obj = f"arn:aws:s3:::{bucket}/{other}/t/part-0.parquet"
                for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
                    assert not allows(doc, action, obj), f"{name} allows {action} on {obj}"
                assert not allows(
                    doc, "s3:ListBucket", f"arn:aws:s3:::{bucket}", s3_prefix=f"{other}/"
                ), f"{name} lists {other}/ in {bucket}"
            landing = f"arn:aws:s3:::{layer_buckets[0]}/landing/{other}/erp/b1/orders.csv"
            assert not allows(doc, "s3:GetObject", landing), f"{name} reads {landing}"
            secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:cmr/{ENV}/{other}/crm-A1"
            assert not allows(doc, "secretsmanager:GetSecretValue", secret), f"{name}: {secret}"
    # positive controls: the evaluator sees the grants the roles need
    job = next(v for k, v in project_policies.items() if "glue-job" in k)
    session = next(v for k, v in project_policies.items() if "dbt-session" in k)
    assert allows(job, "s3:PutObject", f"arn:aws:s3:::{layer_buckets[0]}/{PROJECT}/orders/x")
    assert allows(session, "s3:PutObject", f"arn:aws:s3:::{layer_buckets[1]}/{PROJECT}/orders/x")
    # what the job library and dbt-glue do at run time (lakehouse_jobs.config, dbt-glue)
    raw = f"arn:aws:s3:::{layer_buckets[0]}"
    assert allows(job, "s3:GetObject", f"{raw}/landing/{PROJECT}/erp/b1/orders.csv")
    assert allows(job, "s3:DeleteObject", f"{raw}/landing/{PROJECT}/erp/b1/orders.csv")
    assert allows(job, "s3:PutObject", f"{raw}/archive/{PROJECT}/erp/b1/orders.csv")
    assert allows(job, "s3:ListBucket", raw, s3_prefix=f"landing/{PROJECT}/erp/b1/")
    assert allows(job, "s3:PutObject", f"{raw}/{PROJECT}/_ingestion_runs/part-0.parquet")
    glue = f"arn:aws:glue:eu-west-1:{ACCOUNT}"
    assert allows(job, "glue:CreateTable", f"{glue}:table/cmr_raw/{PROJECT}___ingestion_runs")
    for role in (job, session):  # Spark's Hive client on the Glue catalog
        assert allows(role, "glue:GetDatabase", f"{glue}:database/default")
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:cmr/{ENV}/{PROJECT}/crm-Ab12Cd"
    assert allows(job, "secretsmanager:GetSecretValue", secret)
    audit = f"arn:aws:s3:::ie-cmr-{ENV}-artifacts-{ACCOUNT}/audit/{PROJECT}/t/part-0.parquet"
    assert allows(session, "s3:PutObject", audit)


def test_destroy(deployment):
    deployment.timed(
        f"destroy {PROJECT}",
        PROJECT,
        ["destroy", "-auto-approve", "-refresh=false", *PROJECT_VARS],
        timeout=900,
    )
    deployment.timed(
        "destroy baseline",
        "baseline",
        ["destroy", "-auto-approve", "-refresh=false", *BASELINE_VARS],
        timeout=900,
    )
    deployment.destroyed = True
    for stack in ("baseline", PROJECT):
        left = deployment.tf(stack, ["state", "list"]).stdout.split()
        assert left == [], f"{stack} state not empty after destroy: {left}"
