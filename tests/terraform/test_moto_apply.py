"""A real apply of the baseline and one project against a local moto server, a second plan
that must show no changes, policy lint and isolation checks on the deployed policies, then
destroy. Proves wiring (every resource is accepted, ordering, references, no drift); moto
validates little (policy meaning, event patterns, script contents), see docs/terraform.md.
The access files (dbt_access, pipeline_stages) are generated from the fixture repository's
manifest (tests/terraform/fixtures/manifest.json) by lakehouse.release.project_access; the
isolation checks evaluate the deployed principals with glue-local's IAM evaluator."""

from __future__ import annotations

import base64
import json
import os
import shlex
import shutil
import string
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from lakehouse.docs import docs_pass
from lakehouse.glue_local.iam import Policy
from lakehouse.glue_local.principals import Principal, Principals
from lakehouse.parity.moto_server import MotoServer
from lakehouse.release import dbt_bundle

from .iam_checks import allowed, isolation_violations, parliament_findings
from .terraform_cli import FIXTURES, Terraform, domain_projects, make_workspace

pytestmark = pytest.mark.terraform

PROJECT = "sales"
ACCOUNT = "123456789012"
ENV = "dev"
TRACE_VARS = ["-var=git_sha=0123abc", "-var=deployed_by=pytest", "-var=repository=tests"]
GLUE = f"arn:aws:glue:eu-west-1:{ACCOUNT}"
REFINED = f"arn:aws:s3:::ie-cmr-{ENV}-refined-{ACCOUNT}"
# sales' generated read (fixtures/manifest.json: fct_sales refs customers' refined customers)
READ_TABLE = f"{REFINED}/customers/customers"
READER_ACCOUNT = "210987654321"  # another domain's account, listed in docs_readers


def stack_vars(access: Path) -> dict[str, list[str]]:
    """Every terraform command's variables, per stack, with the generated access files."""
    return {
        "baseline": [
            f"-var=environment={ENV}",
            "-var=force_destroy_buckets=true",
            f'-var=docs_readers=["{READER_ACCOUNT}"]',
            f"-var-file={access / 'domain.tfvars.json'}",
            *TRACE_VARS,
        ],
        PROJECT: [
            f"-var=project={PROJECT}",
            f"-var=environment={ENV}",
            f"-var=source_root={FIXTURES / 'repo'}",
            f"-var-file={access / f'{PROJECT}.tfvars.json'}",
            *TRACE_VARS,
        ],
    }


@dataclass
class Deployment:
    terraform: Terraform
    moto: MotoServer
    work: Path
    stacks: dict[str, Path]
    vars: dict[str, list[str]]
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
        return self.moto.client(service)

    def principals(self) -> Principals:
        """The deployed roles with their inline and attached policies (glue-local's view)."""
        return Principals.from_terraform([self.state(s) for s in self.stacks], ACCOUNT)

    def managed_policy(self, name: str) -> Policy:
        """A managed policy of the project stack by name, attached or not."""
        for r in _resources(self.state(PROJECT)):
            if r["type"] == "aws_iam_policy" and r["values"]["name"] == name:
                return Policy.parse(name, r["values"]["policy"])
        raise KeyError(name)


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
def deployment(terraform, tmp_path_factory, fixture_access):
    if os.environ.get("TF_TESTS_MOTO") == "0":
        pytest.skip("moto apply disabled by TF_TESTS_MOTO=0")
    work = tmp_path_factory.mktemp("moto")
    tf = make_workspace(work / "ws")
    stacks = {"baseline": tf / "baseline", PROJECT: tf / "project"}
    moto = MotoServer(work / "moto.log")
    dep = Deployment(terraform, moto, work, stacks, stack_vars(fixture_access))
    try:
        for name, root in stacks.items():
            (root / "moto_override.tf").write_text(moto.override(work / f"{name}.tfstate"))
            dep.timed(f"init {name}", name, ["init", "-lockfile=readonly"])
        for name in stacks:
            if name == PROJECT:
                _simulate_dbt_tables(dep)
            dep.timed(
                f"apply {name}", name, ["apply", "-auto-approve", *dep.vars[name]], timeout=900
            )
        yield dep
    finally:
        try:
            if not dep.destroyed:
                for name in reversed(stacks):
                    dep.tf(
                        name,
                        ["destroy", "-auto-approve", "-refresh=false", *dep.vars[name]],
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
        "aws_cloudwatch_metric_alarm",
        "aws_cloudwatch_dashboard",
        "aws_cloudfront_distribution",
    ):
        assert expected in types, f"no {expected} was applied"
    jobs = sorted(r["values"]["name"] for r in managed if r["type"] == "aws_glue_job")
    assert jobs == ["cmr-dev-sales-ingest-lineitems", "cmr-dev-sales-ingest-orders"]
    machines = sorted(r["values"]["name"] for r in managed if r["type"] == "aws_sfn_state_machine")
    assert machines == ["cmr-dev-domain-pipeline", "cmr-dev-sales-pipeline"]
    # every schema dbt-glue touches exists: the pipelines' roles create none
    databases = {d["Name"] for d in deployment.boto("glue").get_databases()["DatabaseList"]}
    assert {"cmr_staging", "cmr_refined", "cmr_curated", "cmr_audit"} <= databases
    roles = {r["values"]["name"] for r in managed if r["type"] == "aws_iam_role"}
    assert {"cmr-dev-sales-dbt-session", "cmr-dev-sales-dbt-dev-session"} <= roles
    # the scripts were uploaded where the jobs look for them
    s3 = deployment.boto("s3")
    keys = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket=f"ie-cmr-dev-artifacts-{ACCOUNT}", Prefix="glue/sales/")[
            "Contents"
        ]
    ]
    assert sorted(keys) == ["glue/sales/ingest_lineitems.py", "glue/sales/ingest_orders.py"]


# The gate as the bundle ships it, with `dbt build` replaced by `dbt ls` of the same selection
# (no node results) and its publish (a run-operation) by a line naming it.
GATE_LISTING = """
import sys
from types import SimpleNamespace
import lakehouse.gate as gate

assert gate.__file__.startswith(sys.argv[1]), f"not the bundle's gate: {gate.__file__}"
keys = ("--output", "json", "--output-keys", "resource_type schema name original_file_path")
real = gate.dbt_runner

def listing(*a):
    def invoke(command, *args):
        if command == "run-operation":
            print("publish:", *args)
            return SimpleNamespace(success=True, result=None)
        if command == "source":  # the freshness check: list the sources it would read
            real(*a)("ls", *args[1:], *keys, "--resource-type", "source")
            return SimpleNamespace(success=True, result=[])
        return SimpleNamespace(success=real(*a)("ls", *args, *keys).success, result=[])
    return invoke

gate.dbt_runner = listing
sys.exit(gate.main(sys.argv[2:]))
"""


def test_the_scheduled_gate_resolves_in_the_published_bundle(deployment, tmp_path):
    """What the pipeline's CodeBuild runs (its buildspec and environment, as applied) against
    what the deploy workflow publishes (lakehouse.release.dbt_bundle): the gate runs from the
    bundle, dbt finds the profile, needs no developer, selects the project's nodes of each
    stage in the environment's shared schemas, no unit test; it prints its run's record and
    puts its metrics in the namespace the stack gave it (CloudWatch: the moto server)."""
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
    role = f"arn:aws:iam::{ACCOUNT}:role/cmr-{ENV}-{PROJECT}-dbt-session"
    assert env["DBT_GLUE_ROLE_ARN"] == role
    assert (env["DBT_PROJECT"], env["STAGE"]) == (PROJECT, "all")
    (command,) = spec["phases"]["build"]["commands"]
    args = shlex.split(string.Template(command).substitute(env))
    assert args[:3] == ["python", "-m", "lakehouse.gate"]

    bundle = tmp_path / "bundle"
    with zipfile.ZipFile(dbt_bundle.build(tmp_path / "dbt-project.zip")) as archive:
        archive.extractall(bundle)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "AWS_"))}
    cloudwatch = {
        "AWS_ENDPOINT_URL_CLOUDWATCH": deployment.moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    listed = subprocess.run(
        [sys.executable, "-c", GATE_LISTING, str(bundle), *args[3:]],
        cwd=bundle,
        env={**clean, **env, **cloudwatch, "AWS_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stdout[-3000:] + listed.stderr[-3000:]
    assert "gate: project sales: every node passed; published from branch audit_sales" in (
        listed.stdout
    )
    assert 'publish: audit_publish --args {"branch": "audit_sales", "project": "sales"}' in (
        listed.stdout
    )
    lines = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    nodes = [n for n in lines if "resource_type" in n]  # dbt ls's; the gate's record apart
    models = {n["name"]: n for n in nodes if n["resource_type"] == "model"}
    assert {"orders", "lineitems", "stg_erp__orders", "order_volume_by_month"} <= set(models)
    assert all(n["original_file_path"].startswith("models/sales/") for n in models.values())
    assert {n["schema"] for n in models.values()} == {"cmr_staging", "cmr_refined", "cmr_curated"}
    # freshness of every source the build reads: sales' own and the upstream projects'
    sources = {(n["schema"], n["name"]) for n in nodes if n["resource_type"] == "source"}
    assert {("cmr_raw", "orders"), ("cmr_raw", "lineitem")} <= sources
    assert {schema for schema, _ in sources} == {"cmr_raw"}
    types = {n["resource_type"] for n in nodes}
    assert "test" in types
    assert "unit_test" not in types
    (record,) = [n for n in lines if n.get("msg") == "gate run"]
    assert (record["project"], record["stage"], record["status"]) == ("sales", "all", "published")
    assert env["METRIC_NAMESPACE"] == "cmr/lakehouse"
    assert "could not put" not in listed.stderr, listed.stderr[-2000:]
    put = deployment.boto("cloudwatch").list_metrics(Namespace="cmr/lakehouse")["Metrics"]
    assert {m["MetricName"] for m in put} == {"GateFailed", "TestsFailed", "GateDurationSeconds"}
    assert {d["Value"] for m in put for d in m["Dimensions"]} == {PROJECT}


def test_the_projects_alarms_notify_the_alert_topic_and_its_dashboard_shows_them(deployment):
    topic = f"arn:aws:sns:eu-west-1:{ACCOUNT}:cmr-{ENV}-alerts"
    cloudwatch = deployment.boto("cloudwatch")
    alarms = {
        a["AlarmName"]: a
        for a in cloudwatch.describe_alarms(AlarmNamePrefix=f"cmr-{ENV}-{PROJECT}-")["MetricAlarms"]
    }
    found = {
        name: (
            a["Namespace"], a["MetricName"], {d["Name"]: d["Value"] for d in a["Dimensions"]},
            a["Statistic"], a["ComparisonOperator"], a["Threshold"],
        )
        for name, a in alarms.items()
    }  # fmt: skip
    machine = f"arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:cmr-{ENV}-{PROJECT}-pipeline"
    ns, project, at_least = "cmr/lakehouse", {"Project": PROJECT}, "GreaterThanOrEqualToThreshold"
    assert found == {
        "cmr-dev-sales-gate-failed": (ns, "GateFailed", project, "Maximum", at_least, 1),
        "cmr-dev-sales-stale-source": (ns, "StaleSources", project, "Maximum", at_least, 1),
        "cmr-dev-sales-pipeline-failed": (
            "AWS/States", "ExecutionsFailed", {"StateMachineArn": machine}, "Sum", at_least, 1,
        ),
        **{
            f"cmr-dev-sales-ingest-{job}-reject-ratio": (
                ns, "RejectRatio", {**project, "Job": f"cmr-dev-sales-ingest-{job}"},
                "Maximum", "GreaterThanThreshold", 0.01,
            )
            for job in ("lineitems", "orders")
        },
    }  # fmt: skip
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [topic], alarm["AlarmName"]
        assert (alarm["Period"], alarm["EvaluationPeriods"]) == (300, 1)
        assert alarm["TreatMissingData"] == "notBreaching"
    body = json.loads(
        cloudwatch.get_dashboard(DashboardName=f"cmr-{ENV}-{PROJECT}")["DashboardBody"]
    )
    (states,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert sorted(states["properties"]["alarms"]) == sorted(a["AlarmArn"] for a in alarms.values())
    graphed = [m for w in body["widgets"] for m in w["properties"].get("metrics", [])]
    metrics = {m[1] for m in graphed if len(m) > 1}
    assert {"RowsRead", "RowsWritten", "RowsRejected", "RejectRatio", "DurationSeconds"} <= metrics
    assert {"TestsFailed", "StaleSources", "GateFailed", "ExecutionsFailed"} <= metrics
    searches = [m[0]["expression"] for m in graphed if isinstance(m[0], dict)]
    assert searches == [
        'SEARCH(\'{cmr/lakehouse,Project,Source} MetricName="FreshnessLagSeconds" '
        "Project=\"sales\"', 'Maximum', 300)"
    ]
    # the topic takes the alarms' messages: CloudWatch may publish, for the domain's alarms only
    policy = json.loads(
        deployment.boto("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]
    )
    (statement,) = [s for s in policy["Statement"] if s["Sid"] == "CloudWatchAlarmsPublish"]
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:cmr-{ENV}-*"
    }


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
    variables = deployment.vars[stack]
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
    assert len(policies) >= 9  # the domain pipeline's, six inline and two managed of the project
    findings = {name: parliament_findings(doc) for name, doc in policies.items()}
    assert not {k: v for k, v in findings.items() if v}, findings


def test_project_policies_are_isolated(deployment):
    others = [p for p in domain_projects() if p != PROJECT] or ["customers", "supply"]
    layer_buckets = [f"ie-cmr-{ENV}-{layer}-{ACCOUNT}" for layer in ("raw", "refined", "curated")]
    artifacts = f"ie-cmr-{ENV}-artifacts-{ACCOUNT}"
    read = f"{READ_TABLE}/*"
    project_policies = {
        k: v for k, v in _deployed_policies(deployment).items() if k.startswith(f"{PROJECT}:")
    }
    assert len(project_policies) == 8
    for name, doc in project_policies.items():
        violations = isolation_violations(doc, PROJECT, others, layer_buckets, artifacts, [read])
        assert violations == [], name
    principals = deployment.principals()
    roles = {p.name: p for p in principals.by_name.values() if p.name.startswith("cmr-dev-sales-")}
    assert len(roles) == 6
    developer_policy = deployment.managed_policy("cmr-dev-sales-dbt-developer")
    developer = Principal("developer", f"arn:aws:iam::{ACCOUNT}:user/jdoe", [developer_policy])
    for who in [*roles.values(), developer]:
        policies = who.policies
        for other in others:
            for bucket in layer_buckets:
                obj = f"arn:aws:s3:::{bucket}/{other}/t/part-0.parquet"
                for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
                    assert not allowed(policies, action, obj), f"{who.name}: {action} on {obj}"
                listing = {"s3:prefix": f"{other}/"}
                assert not allowed(policies, "s3:ListBucket", f"arn:aws:s3:::{bucket}", listing)
            landing = f"arn:aws:s3:::{layer_buckets[0]}/landing/{other}/erp/b1/orders.csv"
            assert not allowed(policies, "s3:GetObject", landing), f"{who.name} reads {landing}"
            secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:cmr/{ENV}/{other}/crm-A1"
            assert not allowed(policies, "secretsmanager:GetSecretValue", secret), who.name
        # the generated read: customers' refined customers table, read-only, by the sessions
        table_object = f"{READ_TABLE}/data/part-0.parquet"
        reads = allowed(policies, "s3:GetObject", table_object)
        assert reads == who.name.endswith("-session"), f"{who.name} reads {table_object}: {reads}"
        for action in ("s3:PutObject", "s3:DeleteObject"):
            assert not allowed(policies, action, table_object), f"{who.name}: {action}"
    # positive controls: the evaluator sees the grants the roles need
    job = roles["cmr-dev-sales-glue-job"].policies
    session = roles["cmr-dev-sales-dbt-session"].policies
    raw = f"arn:aws:s3:::{layer_buckets[0]}"
    assert allowed(job, "s3:PutObject", f"{raw}/{PROJECT}/orders/x")
    assert allowed(session, "s3:PutObject", f"{REFINED}/{PROJECT}/orders/x")
    # what the job library and dbt-glue do at run time (lakehouse_jobs.config, dbt-glue)
    assert allowed(job, "s3:GetObject", f"{raw}/landing/{PROJECT}/erp/b1/orders.csv")
    assert allowed(job, "s3:DeleteObject", f"{raw}/landing/{PROJECT}/erp/b1/orders.csv")
    assert allowed(job, "s3:PutObject", f"{raw}/archive/{PROJECT}/erp/b1/orders.csv")
    assert allowed(job, "s3:ListBucket", raw, {"s3:prefix": f"landing/{PROJECT}/erp/b1/"})
    assert allowed(job, "s3:PutObject", f"{raw}/{PROJECT}/_ingestion_runs/part-0.parquet")
    assert allowed(job, "glue:CreateTable", f"{GLUE}:table/cmr_raw/{PROJECT}___ingestion_runs")
    for role in (job, session):  # Spark's Hive client on the Glue catalog
        assert allowed(role, "glue:GetDatabase", f"{GLUE}:database/default")
    secret = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:cmr/{ENV}/{PROJECT}/crm-Ab12Cd"
    assert allowed(job, "secretsmanager:GetSecretValue", secret)
    audit = f"arn:aws:s3:::{artifacts}/audit/{PROJECT}/t/part-0.parquet"
    assert allowed(session, "s3:PutObject", audit)


def test_only_the_jobs_and_the_gates_runner_put_metrics_in_the_domains_namespace(deployment):
    """The runs' metrics (lakehouse_jobs.lifecycle, lakehouse.run_log): the job role and the
    gate's runner put them in the domain's namespace and in no other (the jobs: Glue's own
    too); no other role of the project may."""
    roles = {p.name: p.policies for p in deployment.principals().by_name.values()}
    put = "cloudwatch:PutMetricData"
    for name, others in (("glue-job", ["Glue"]), ("dbt-runner", [])):
        for namespace in ("cmr/lakehouse", "Glue", "other/namespace"):
            expected = namespace in ("cmr/lakehouse", *others)
            context = {"cloudwatch:namespace": namespace}
            assert allowed(roles[f"cmr-dev-sales-{name}"], put, "*", context) == expected, name
    for name in ("dbt-session", "dbt-dev-session", "table-optimizer", "pipeline"):
        context = {"cloudwatch:namespace": "cmr/lakehouse"}
        assert not allowed(roles[f"cmr-dev-sales-{name}"], put, "*", context), name


def test_each_role_writes_exactly_the_tables_its_project_builds(deployment):
    """fixtures/manifest.json: sales builds stg_erp__orders, orders, fct_sales and a stored test
    failure; the shared session writes those in the shared schemas, the developers' session
    the same names in developers' copies, and neither anything else."""
    roles = deployment.principals()
    shared = roles.get("cmr-dev-sales-dbt-session").policies
    dev = roles.get("cmr-dev-sales-dbt-dev-session").policies
    built = [("staging", "stg_erp__orders"), ("refined", "orders"), ("curated", "fct_sales")]
    for layer, table in [*built, ("audit", "not_null_fct_sales_order_id")]:
        for action in ("glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable"):
            assert allowed(shared, action, f"{GLUE}:table/cmr_{layer}/{table}")
            assert allowed(dev, action, f"{GLUE}:table/cmr_{layer}_jdoe/{table}")
            assert not allowed(dev, action, f"{GLUE}:table/cmr_{layer}/{table}"), (
                f"the dev session may {action} the shared cmr_{layer}.{table}"
            )
    for role in (shared, dev):  # customers' table, in any schema
        for db in ("cmr_refined", "cmr_refined_jdoe"):
            assert not allowed(role, "glue:UpdateTable", f"{GLUE}:table/{db}/customers")
            assert not allowed(role, "glue:CreateTable", f"{GLUE}:table/{db}/anything")
        assert allowed(role, "glue:GetTable", f"{GLUE}:table/cmr_refined/customers")  # metadata
    # the developers' session writes only under _developers/, never the shared prefixes
    for layer in ("refined", "curated"):
        bucket = f"arn:aws:s3:::ie-cmr-{ENV}-{layer}-{ACCOUNT}/{PROJECT}"
        assert allowed(dev, "s3:PutObject", f"{bucket}/_developers/jdoe/orders/x.parquet")
        assert not allowed(dev, "s3:PutObject", f"{bucket}/orders/x.parquet")
        assert not allowed(dev, "s3:DeleteObject", f"{bucket}/orders/x.parquet")
        assert allowed(shared, "s3:PutObject", f"{bucket}/orders/x.parquet")
    audit = f"arn:aws:s3:::ie-cmr-{ENV}-artifacts-{ACCOUNT}/audit/{PROJECT}"
    assert allowed(dev, "s3:PutObject", f"{audit}/_developers/jdoe/t/x.parquet")
    assert not allowed(dev, "s3:PutObject", f"{audit}/t/x.parquet")


def test_each_client_passes_only_its_own_session_role(deployment):
    roles = deployment.principals()
    runner = roles.get("cmr-dev-sales-dbt-runner").policies
    assert {p.name for p in runner} == {"dbt-runner-access", "cmr-dev-sales-dbt-caller"}
    developer = [deployment.managed_policy("cmr-dev-sales-dbt-developer")]
    to_glue = {"iam:PassedToService": "glue.amazonaws.com"}
    shared = f"arn:aws:iam::{ACCOUNT}:role/cmr-dev-sales-dbt-session"
    dev = f"arn:aws:iam::{ACCOUNT}:role/cmr-dev-sales-dbt-dev-session"
    assert allowed(runner, "iam:PassRole", shared, to_glue)
    assert not allowed(runner, "iam:PassRole", dev, to_glue), "the runner may pass the dev role"
    assert allowed(developer, "iam:PassRole", dev, to_glue)
    assert not allowed(developer, "iam:PassRole", shared, to_glue), "developers pass dbt-session"
    assert not allowed(runner, "iam:PassRole", shared, {"iam:PassedToService": "ec2.amazonaws.com"})
    # and each runs only its own sessions: no statement in the pipeline's session by a
    # developer, none in another project's by the runner
    session = f"{GLUE}:session/"
    assert allowed(runner, "glue:RunStatement", f"{session}cmr-dev-sales-dbt")
    assert not allowed(runner, "glue:RunStatement", f"{session}cmr-dev-customers-dbt")
    assert not allowed(runner, "glue:RunStatement", f"{session}dbt-jdoe")
    assert allowed(developer, "glue:RunStatement", f"{session}dbt-jdoe")
    assert not allowed(developer, "glue:RunStatement", f"{session}cmr-dev-sales-dbt")
    # schemas: the baseline creates the shared ones, developers their own copies
    for db in ("cmr_staging", "cmr_refined", "cmr_curated", "cmr_audit"):
        assert not allowed(runner, "glue:CreateDatabase", f"{GLUE}:database/{db}")
        assert not allowed(developer, "glue:CreateDatabase", f"{GLUE}:database/{db}")
        assert allowed(developer, "glue:CreateDatabase", f"{GLUE}:database/{db}_jdoe")
        assert not allowed(developer, "glue:DeleteDatabase", f"{GLUE}:database/{db}")


def test_the_domain_pipeline_starts_only_the_project_pipelines(deployment):
    (role,) = [p for p in deployment.principals().by_name.values() if "domain-pipeline" in p.name]
    machines = f"arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:cmr-dev-"
    assert allowed(role.policies, "states:StartExecution", f"{machines}sales-pipeline")
    assert allowed(role.policies, "states:StartExecution", f"{machines}customers-pipeline")
    assert not allowed(role.policies, "states:StartExecution", f"{machines}domain-pipeline")
    assert not allowed(role.policies, "states:StartExecution", f"{machines}other-thing")
    execution = f"arn:aws:states:eu-west-1:{ACCOUNT}:execution:cmr-dev-sales-pipeline:x"
    assert allowed(role.policies, "states:DescribeExecution", execution)
    definition = json.loads(
        next(
            r["values"]["definition"]
            for r in _resources(deployment.state("baseline"))
            if r["type"] == "aws_sfn_state_machine"
        )
    )
    # fixtures/manifest.json: customers and sales upstream at once, then both curated
    states = definition["States"]
    waves = [[b["StartAt"] for b in states[w]["Branches"]] for w in ("Wave1", "Wave2")]
    assert waves == [
        ["customers upstream", "sales upstream"],
        ["customers curated", "sales curated"],
    ]


def _statements_for(document: str, principal: dict) -> dict:
    """The statements of a resource policy (bucket, key) that apply to `principal` (or to
    everyone), as one document: glue-local's evaluator decides identity policies, so the
    principal is matched here and the rest (actions, resources, conditions) there."""
    applies = [
        st
        for st in json.loads(document)["Statement"]
        if st.get("Principal") in (principal, {"AWS": "*"})
    ]
    return {"Statement": applies}


def _docs_site(dep: Deployment) -> tuple[dict, dict]:
    """The baseline's docs_site output and the distribution's config, as moto answers it."""
    site = dep.state("baseline")["values"]["outputs"]["docs_site"]["value"]
    distribution = dep.boto("cloudfront").get_distribution(Id=site["distribution_id"])
    return site, distribution["Distribution"]["DistributionConfig"]


def test_the_docs_site_reads_only_its_prefix_through_origin_access_control(deployment):
    site, config = _docs_site(deployment)
    cloudfront = deployment.boto("cloudfront")
    artifacts = f"ie-cmr-{ENV}-artifacts-{ACCOUNT}"
    (origin,) = config["Origins"]["Items"]
    assert origin["DomainName"] == f"{artifacts}.s3.eu-west-1.amazonaws.com"
    assert origin["OriginPath"] == f"/docs/{ENV}"  # where deploy.yml syncs the site
    control = cloudfront.get_origin_access_control(Id=origin["OriginAccessControlId"])
    settings = control["OriginAccessControl"]["OriginAccessControlConfig"]
    assert (
        settings["OriginAccessControlOriginType"],
        settings["SigningBehavior"],
        settings["SigningProtocol"],
    ) == ("s3", "always", "sigv4")
    # the bucket policy: this distribution, and no other, gets the site's objects, and only those
    edge = {"Service": "cloudfront.amazonaws.com"}
    policy = deployment.boto("s3").get_bucket_policy(Bucket=artifacts)["Policy"]
    reads = _statements_for(policy, edge)
    this = {"aws:SourceArn": site["distribution_arn"], "aws:SecureTransport": "true"}
    other = {**this, "aws:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/EOTHER"}
    bucket = f"arn:aws:s3:::{artifacts}"
    assert allowed(reads, "s3:GetObject", f"{bucket}/docs/{ENV}/catalog.json", this)
    assert not allowed(reads, "s3:GetObject", f"{bucket}/docs/{ENV}/catalog.json", other)
    insecure = {**this, "aws:SecureTransport": "false"}
    assert not allowed(reads, "s3:GetObject", f"{bucket}/docs/{ENV}/catalog.json", insecure)
    for key in ("dbt/dev/manifest.json", "glue/lib/x.whl", "audit/sales/t/x", "docs/prod/x"):
        assert not allowed(reads, "s3:GetObject", f"{bucket}/{key}", this), key
    for action in ("s3:PutObject", "s3:DeleteObject", "s3:ListBucket"):
        assert not allowed(reads, action, f"{bucket}/docs/{ENV}/catalog.json", this), action
    for purpose in ("raw", "refined", "curated", "logs"):
        other_bucket = f"ie-cmr-{ENV}-{purpose}-{ACCOUNT}"
        other_policy = deployment.boto("s3").get_bucket_policy(Bucket=other_bucket)["Policy"]
        assert "cloudfront" not in other_policy, other_bucket
    # the objects are under the domain key: CloudFront decrypts them for this distribution only
    kms = deployment.boto("kms")
    key = kms.describe_key(KeyId=f"alias/cmr-{ENV}")["KeyMetadata"]
    key_policy = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]
    decrypts = _statements_for(key_policy, edge)
    assert allowed(decrypts, "kms:Decrypt", key["Arn"], this)
    assert not allowed(decrypts, "kms:Decrypt", key["Arn"], other)
    assert not allowed(decrypts, "kms:GenerateDataKey", key["Arn"], this)


def _viewer_request(code: str, event: dict) -> dict:
    """The viewer-request function's answer to a CloudFront event, run by node."""
    node = shutil.which("node")
    assert node, "node not found: `make setup-dev` installs Debian's nodejs"
    script = code + (
        "\nprocess.stdout.write(JSON.stringify("
        "handler(JSON.parse(require('fs').readFileSync(0, 'utf8')))));"
    )
    done = subprocess.run(
        [node, "-e", script], input=json.dumps(event), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _request(uri: str = "/", query: dict | None = None, cookies: dict | None = None) -> dict:
    def values(d):
        return {k: {"value": v} for k, v in (d or {}).items()}

    return {
        "version": "1.0",
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": values(query),
            "headers": {},
            "cookies": values(cookies),
        },
    }


def test_viewing_the_docs_site_needs_a_pass_a_reader_signed(deployment):
    site, config = _docs_site(deployment)
    cloudfront = deployment.boto("cloudfront")
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    trusted = behavior["TrustedKeyGroups"]
    assert (trusted["Enabled"], trusted["Quantity"]) == (True, 1)
    group = cloudfront.get_key_group(Id=trusted["Items"][0])["KeyGroup"]["KeyGroupConfig"]
    assert group["Items"] == [site["key_pair_id"]]
    public_key = cloudfront.get_public_key(Id=site["key_pair_id"])["PublicKey"]
    trusted_key = serialization.load_pem_public_key(
        public_key["PublicKeyConfig"]["EncodedKey"].encode()
    )
    # the signing key lets the listed reader sign, in CloudFront's algorithm only
    kms = deployment.boto("kms")
    key_arn = site["signing_key_arn"]
    key_policy = kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]
    reader = {"AWS": [f"arn:aws:iam::{READER_ACCOUNT}:root"]}
    signs = _statements_for(key_policy, reader)
    algorithm = {"kms:SigningAlgorithm": docs_pass.SIGNING_ALGORITHM}
    assert allowed(signs, "kms:Sign", key_arn, algorithm)
    assert not allowed(signs, "kms:Sign", key_arn, {"kms:SigningAlgorithm": "RSASSA_PSS_SHA_256"})
    assert not allowed(signs, "kms:ScheduleKeyDeletion", key_arn, algorithm)
    # a reader's pass (docs_pass, as a reader runs it) verifies with the key CloudFront trusts
    url = docs_pass.sign_in_url(kms, site["url"], key_arn, site["key_pair_id"], hours=2)
    pass_query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    def decoded(value: str) -> bytes:
        return base64.b64decode(value.translate(str.maketrans("-_~", "+=/")))

    trusted_key.verify(  # raises InvalidSignature otherwise
        decoded(pass_query["Signature"]),
        decoded(pass_query["Policy"]),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    # the viewer-request function, as deployed: the signed URL becomes the same pass as cookies
    (association,) = behavior["FunctionAssociations"]["Items"]
    assert association["EventType"] == "viewer-request"
    name = association["FunctionARN"].rsplit("/", 1)[1]
    code = cloudfront.get_function(Name=name, Stage="LIVE")["FunctionCode"].read().decode()
    answer = _viewer_request(code, _request("/", pass_query))
    assert (answer["statusCode"], answer["headers"]["location"]["value"]) == (302, "/")
    cookies = {k: v["value"] for k, v in answer["cookies"].items()}
    assert cookies == {f"CloudFront-{k}": v for k, v in pass_query.items()}
    assert {v["attributes"] for v in answer["cookies"].values()} == {
        "Path=/; Secure; HttpOnly; SameSite=Lax"
    }
    # with the cookies, a request goes on to CloudFront's own check of the pass
    with_pass = _request("/catalog.json", cookies=cookies)
    assert _viewer_request(code, with_pass) == with_pass["request"]
    # a pass longer than the site allows (its holder chose the expiry) is refused
    hours = site["pass_max_hours"] + 1
    too_long = docs_pass.sign_in_url(kms, site["url"], key_arn, site["key_pair_id"], hours=hours)
    long_query = {k: v[0] for k, v in parse_qs(urlsplit(too_long).query).items()}
    for event in (
        _request("/", long_query),
        _request("/", cookies={f"CloudFront-{k}": v for k, v in long_query.items()}),
    ):
        assert _viewer_request(code, event) == {
            "statusCode": 403,
            "statusDescription": f"Pass valid for more than {site['pass_max_hours']} hours",
        }
    unreadable = _request("/", cookies={"CloudFront-Policy": "bm90IGpzb24_"})
    assert _viewer_request(code, unreadable)["statusCode"] == 403


def test_destroy(deployment):
    for stack in (PROJECT, "baseline"):
        deployment.timed(
            f"destroy {stack}",
            stack,
            ["destroy", "-auto-approve", "-refresh=false", *deployment.vars[stack]],
            timeout=900,
        )
    deployment.destroyed = True
    for stack in ("baseline", PROJECT):
        left = deployment.tf(stack, ["state", "list"]).stdout.split()
        assert left == [], f"{stack} state not empty after destroy: {left}"
