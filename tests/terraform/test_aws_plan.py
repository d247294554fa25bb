"""lakehouse.parity.aws_plan renders the stacks' IAM offline (terraform plan against moto), and
glue-local's principals (lakehouse.glue_local.principals) read every project's roles from it:
the policies `make parity` enforces are the ones the repository's Terraform deploys."""

from __future__ import annotations

import pytest

from lakehouse.glue_local.iam import Request, decide
from lakehouse.glue_local.principals import Principals
from lakehouse.parity import aws_plan

from .terraform_cli import REPO_ROOT, domain_projects

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def rendered(terraform, repository_access, tmp_path_factory):
    """The baseline's and every project's plan of the repository, with its own access files."""
    work = tmp_path_factory.mktemp("aws-plan")
    result = aws_plan.render_stacks(work, repository_access, plugin_cache=work / "plugins")
    print(f"\naws_plan.render_stacks seconds: {result.seconds}")
    return result


def test_every_stack_is_planned(rendered):
    assert rendered.account_id == "123456789012"
    assert set(rendered.projects) == set(domain_projects())
    for show in [rendered.baseline, *rendered.projects.values()]:
        assert show["planned_values"]["root_module"], "an empty plan"
    principals = Principals.from_terraform([rendered.baseline], rendered.account_id)
    assert principals.get("cmr-dev-domain-pipeline").trusts("states.amazonaws.com")


def test_principals_of_every_project_come_from_its_plan(rendered):
    """Every policy of the plans is known before apply (none names an ARN only AWS assigns),
    so the baseline's roles resolve too, as make parity reads them."""
    shows = [rendered.baseline, *rendered.projects.values()]
    principals = Principals.from_terraform(shows, rendered.account_id)
    (schedule,) = [p for p in principals.by_name.values() if p.name == "cmr-dev-domain-pipeline"]
    assert [p.name for p in schedule.policies] == ["domain-pipeline-access"]
    for project in domain_projects():
        prefix = f"cmr-dev-{project}"
        for purpose in ("dbt-session", "dbt-dev-session", "dbt-runner"):
            role = principals.get(f"{prefix}-{purpose}")
            assert role is not None, f"no role {prefix}-{purpose} in the plan"
            assert role.policies, f"{role.name} has no policy"
            service = "codebuild" if purpose == "dbt-runner" else "glue"
            assert role.trusts(f"{service}.amazonaws.com")
        runner = principals.get(f"{prefix}-dbt-runner")
        assert [p.name for p in runner.policies] == ["dbt-runner-access", f"{prefix}-dbt-caller"]


def test_the_plans_carry_the_generated_reads(rendered):
    """sales refs customers' refined customers (models/sales): its session roles read that
    table's objects, read-only; the developers' session writes no shared prefix."""
    principals = Principals.from_terraform(list(rendered.projects.values()), rendered.account_id)
    customers = "arn:aws:s3:::ie-cmr-dev-refined-123456789012/customers/customers/data/x.parquet"
    for purpose in ("dbt-session", "dbt-dev-session"):
        policies = principals.get(f"cmr-dev-sales-{purpose}").policies
        assert decide(policies, Request("s3:GetObject", customers)).allowed
        assert not decide(policies, Request("s3:PutObject", customers)).allowed
    shared = "arn:aws:s3:::ie-cmr-dev-refined-123456789012/sales/orders/x.parquet"
    dev = principals.get("cmr-dev-sales-dbt-dev-session").policies
    assert not decide(dev, Request("s3:PutObject", shared)).allowed


def test_the_developer_policy_can_be_found(rendered):
    principals = Principals.from_terraform(list(rendered.projects.values()), rendered.account_id)
    for project in domain_projects():
        policy = principals.managed_policy(f"cmr-dev-{project}-dbt-developer")
        assert policy.statements()


def test_without_terraform_the_error_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(aws_plan.TerraformMissing) as missing:
        aws_plan.render_stacks(tmp_path / "work", tmp_path / "access", root=REPO_ROOT)
    assert str(missing.value) == (
        "make parity needs terraform >= 1.10 on PATH: "
        "it renders the IAM policies glue-local enforces"
    )
