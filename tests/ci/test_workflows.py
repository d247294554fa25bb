"""The GitHub Actions workflows cannot run here: parse them, lint them (actionlint, zizmor) and
check the invariants that keep them safe (OIDC only, least privilege, SHA pins, ordering)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import ROOT

from lakehouse.checks.lint import tool

from .workflows import WORKFLOWS, load_workflow, workflow_files

SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
LOCAL_USES = ("./", "$/")
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials@"
DEPLOY_ORDER = [
    "discover",
    "contracts",
    "baseline",
    "artifacts",
    "destroy-projects",
    "deploy-projects",
    "dbt",
    "dbt-docs",
    "docs",
]


def jobs(workflows):
    for name, workflow in workflows.items():
        for job_id, job in workflow["jobs"].items():
            yield name, job_id, job


def steps_uses(job) -> list[str]:
    return [step["uses"] for step in job.get("steps", []) if "uses" in step]


def aws_roles(job) -> set[str]:
    return {
        step["with"]["role-to-assume"]
        for step in job.get("steps", [])
        if step.get("uses", "").startswith(AWS_CREDENTIALS_ACTION)
    }


def run_tool(name: str, *args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    exe = tool(name)
    assert exe, f"{name} is not installed: run  make setup-dev"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_expected_workflows_exist_and_parse(workflows):
    assert set(workflows) >= {
        "ci.yml",
        "deploy.yml",
        "deploy-dev.yml",
        "deploy-int.yml",
        "deploy-prod.yml",
        "terraform-plan.yml",
    }
    for name, workflow in workflows.items():
        assert workflow.get("name"), f"{name} has no name"
        assert workflow["on"], f"{name} has no trigger"
        assert workflow["jobs"], f"{name} has no jobs"


def test_actionlint_is_clean():
    proc = run_tool("actionlint", "-no-color", "-oneline")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: missing\n"
        "    steps:\n      - run: echo ${{ github.nonexistent_context }}\n"
    )
    proc = run_tool("actionlint", "-no-color", "-oneline", str(broken), cwd=tmp_path)
    assert proc.returncode == 1
    assert 'job "a" needs job "missing" which does not exist' in proc.stdout


def test_zizmor_is_clean_offline():
    proc = run_tool("zizmor", "--offline", "--no-progress", str(ROOT / ".github"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


def test_zizmor_flags_an_unpinned_action_and_persisted_credentials(tmp_path):
    risky = tmp_path / "risky.yml"
    risky.write_text(
        "name: risky\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n"
        "    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@v4\n"
    )
    proc = run_tool("zizmor", "--offline", "--no-progress", str(risky))
    assert proc.returncode != 0
    assert "unpinned-uses" in proc.stdout
    assert "artipacked" in proc.stdout


def test_every_uses_is_local_or_pinned_to_a_commit_sha(workflows):
    for name, job_id, job in jobs(workflows):
        for uses in [*steps_uses(job), *([job["uses"]] if "uses" in job else [])]:
            assert uses.startswith(LOCAL_USES) or SHA_PIN.match(uses), (
                f"{name}:{job_id} uses {uses!r}: pin actions to a full commit SHA"
            )


def test_pinned_actions_carry_their_version_comment():
    """`@<sha> # vX.Y.Z`: Dependabot and reviewers read the version from the comment."""
    for path in workflow_files():
        for line in path.read_text().splitlines():
            match = re.search(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40})(.*)$", line)
            if match:
                assert re.match(r"\s+# v\d+\.\d+\.\d+$", match.group(3)), f"{path.name}: {line}"


def test_no_long_lived_aws_keys_anywhere():
    forbidden = re.compile(
        r"aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY"
        r"|AWS_SESSION_TOKEN|AKIA[0-9A-Z]{16}",
    )
    for path in (ROOT / ".github").rglob("*"):
        # the tests import .github/scripts: skip the bytecode Python leaves beside them
        if path.is_file() and "__pycache__" not in path.parts:
            hits = forbidden.findall(path.read_text())
            assert not hits, f"{path.relative_to(ROOT)} mentions {hits}: use OIDC roles"


def test_permissions_are_empty_by_default_and_granted_per_job(workflows):
    for name, workflow in workflows.items():
        assert workflow.get("permissions") == {}, f"{name}: set `permissions: {{}}` at the top"
    for name, job_id, job in jobs(workflows):
        assert "permissions" in job, f"{name}:{job_id} must declare its permissions"
        writes = {k for k, v in (job["permissions"] or {}).items() if v == "write"}
        assert writes <= {"id-token", "pull-requests"}, f"{name}:{job_id} writes {writes}"


def test_id_token_write_only_where_aws_is_assumed(workflows):
    for name, job_id, job in jobs(workflows):
        oidc = (job["permissions"] or {}).get("id-token") == "write"
        calls_deploy = job.get("uses", "").endswith("/.github/workflows/deploy.yml")
        assumes_role = bool(aws_roles(job))
        assert oidc == (assumes_role or calls_deploy), (
            f"{name}:{job_id}: id-token: write is needed exactly where a role is assumed"
        )


def test_every_checkout_drops_its_credentials(workflows):
    for name, job_id, job in jobs(workflows):
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"{name}:{job_id}"


def test_ci_runs_on_every_push_and_pull_request(workflows):
    ci = workflows["ci.yml"]
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    assert ci["on"]["push"] is None, "ci must run on every branch"
    assert "${{ github.ref }}" in ci["concurrency"]["group"]
    text = (WORKFLOWS / "ci.yml").read_text()
    for must in (
        "make lint",
        "make test",
        "make run",
        "make parity",
        "bandit",
        "pip-audit",
        "checkov",
        "zizmor",
    ):
        assert must in text, f"ci.yml does not run {must}"
    for artifact in ("dbt-docs", "sbom"):
        assert f"name: {artifact}" in text


# What the README's Quick start asks of a machine, as Debian packages (git: to check out).
STRAY_CHECK = ".venv/bin/python -m lakehouse.checks.stray_processes"
README_PREREQUISITES = {"python3.11", "python3-venv", "openjdk-17-jre-headless", "make", "git"}


def apt_installs(step) -> set[str]:
    """The packages a step's `apt-get install` lines name."""
    text = step.get("run", "").replace("\\\n", " ")
    packages = set()
    for line in text.splitlines():
        if "apt-get install" not in line:
            continue
        for word in line.split("apt-get install", 1)[1].split():
            if word.startswith((">", "&", "|", ";")):
                break
            if not word.startswith("-"):
                packages.add(word)
    return packages


def makefile_debian_packages() -> set[str]:
    """The Debian packages the Makefile installs itself (DEBIAN_RUN, DEBIAN_TEST)."""
    text = (ROOT / "Makefile").read_text()
    packages = set(re.findall(r"^\s+([a-z0-9][a-z0-9.+-]*):/\S+", text, re.MULTILINE))
    assert {"postgresql", "libpostgresql-jdbc-java", "libatomic1", "chromium"} <= packages
    return packages


def test_the_fresh_machine_job_installs_only_the_readme_prerequisites(workflows):
    """A minimal Debian, the README's prerequisites, then `make run` and `make test`: what
    else the suite needs, the Makefile's own installs must bring."""
    job = workflows["ci.yml"]["jobs"]["fresh-machine"]
    assert job["container"] in ("debian:bookworm", "python:3.11-slim-bookworm")
    runs = [step.get("run", "").strip() for step in job["steps"]]
    assert "make run" in runs, "fresh-machine must run `make run`"
    first_make = runs.index("make run")
    assert runs[-2].endswith("make test"), "fresh-machine must end with `make test`"
    assert runs[-1] == STRAY_CHECK, "then check that no process outlived the two commands"
    installed = set()
    for step in job["steps"][:first_make]:
        uses = step.get("uses", "")
        assert not uses or uses.startswith("actions/checkout@"), f"fresh-machine uses {uses}"
        run = step.get("run", "")
        assert not re.search(r"\b(pip3?|curl|wget|dpkg)\b|^\s*make\b", run, re.MULTILINE), run
        installed |= apt_installs(step)
    assert installed, "fresh-machine installs no prerequisites?"
    assert installed <= README_PREREQUISITES, installed - README_PREREQUISITES
    quick_start = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ")[0]
    for prerequisite in ("Python 3.11", "Java 17", "`make`"):
        assert prerequisite in quick_start, f"the README's Quick start does not ask {prerequisite}"


def test_ci_installs_none_of_the_debian_packages_the_makefile_installs(workflows):
    """CI installs the prerequisites only, so that every job proves the Makefile's installs
    (git excepted: the checkout itself needs it)."""
    ours = makefile_debian_packages() - {"git"}
    for job_id, job in workflows["ci.yml"]["jobs"].items():
        for step in job.get("steps", []):
            both = apt_installs(step) & ours
            assert not both, f"ci.yml:{job_id} installs {both}: leave them to the Makefile"


@pytest.mark.parametrize(
    ("workflow", "branch", "environment"),
    [
        ("deploy-dev.yml", "dev", "dev"),
        ("deploy-int.yml", "int", "int"),
        ("deploy-prod.yml", "main", "prod"),
    ],
)
def test_each_environment_deploys_from_its_branch(workflows, workflow, branch, environment):
    caller = workflows[workflow]
    assert caller["on"]["push"]["branches"] == [branch]
    assert caller["concurrency"] == {"group": f"deploy-{environment}", "cancel-in-progress": False}
    (job,) = caller["jobs"].values()
    assert job["uses"] == "$/.github/workflows/deploy.yml"
    assert job["with"]["environment"] == environment
    gated = job["with"].get("approval-environment")
    assert (gated == "prod-approval") if environment == "prod" else gated is None


def test_deploy_runs_its_stages_in_order(workflows):
    deploy = workflows["deploy.yml"]["jobs"]
    for earlier, later in itertools.pairwise(DEPLOY_ORDER):
        needs = deploy[later]["needs"]
        needs = [needs] if isinstance(needs, str) else needs
        assert earlier in needs, f"{later} must need {earlier}"
    # the second project apply (optimizers of the tables dbt created) comes before the record
    assert "dbt" in deploy["optimize-projects"]["needs"]
    assert "optimize-projects" in deploy["docs"]["needs"]
    assert "approve" in deploy["discover"]["needs"]
    assert "approve" in deploy["access"]["needs"] and "access" in deploy["baseline"]["needs"]
    assert deploy["approve"]["environment"] == "${{ inputs.approval-environment }}"


def test_deploy_assumes_one_role_per_responsibility(workflows):
    deploy = workflows["deploy.yml"]["jobs"]
    roles = {job_id: aws_roles(job) for job_id, job in deploy.items()}
    assert roles["baseline"] == {"${{ vars.AWS_ROLE_BASELINE }}"}
    assert roles["artifacts"] == roles["contracts"] == {"${{ vars.AWS_ROLE_ARTIFACTS }}"}
    assert roles["docs"] == {"${{ vars.AWS_ROLE_ARTIFACTS }}"}
    projects_role = {"${{ vars.AWS_ROLE_PROJECTS }}"}
    assert roles["destroy-projects"] == roles["deploy-projects"] == projects_role
    assert roles["optimize-projects"] == projects_role
    assert roles["dbt"] == {"${{ vars.AWS_ROLE_PIPELINE }}"}
    assert roles["dbt-docs"] == {"${{ vars.AWS_ROLE_DBT }}"}
    assert roles["access"] == set()
    for job_id, job in deploy.items():
        if roles[job_id]:
            assert job["environment"] == "${{ inputs.environment }}", job_id


def test_deploy_matrices_come_from_discovery(workflows):
    deploy = workflows["deploy.yml"]["jobs"]
    assert deploy["deploy-projects"]["strategy"]["matrix"]["project"] == (
        "${{ fromJSON(needs.discover.outputs.deploy) }}"
    )
    assert deploy["destroy-projects"]["strategy"]["matrix"]["project"] == (
        "${{ fromJSON(needs.discover.outputs.destroy) }}"
    )
    assert deploy["optimize-projects"]["strategy"]["matrix"]["project"] == (
        "${{ fromJSON(needs.discover.outputs.deploy) }}"
    )
    for job_id in ("deploy-projects", "optimize-projects"):
        runs = [step.get("run", "") for step in deploy[job_id]["steps"]]
        assert 'bash .github/scripts/apply_project.sh "${PROJECT}"' in runs, job_id
    # the build is the domain pipeline's: one job, which runs every project as its own roles
    assert "strategy" not in deploy["dbt"]
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "python .github/scripts/projects.py --base" in text


def test_the_deployment_builds_through_the_domain_pipeline(workflows):
    """No `dbt build` per project: the dbt job starts the domain's schedule without ingestion
    and waits for it (.github/scripts/run_domain_pipeline.sh), failing when it fails."""
    deploy = workflows["deploy.yml"]["jobs"]
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "dbt build" not in text
    runs = [step.get("run", "") for step in deploy["dbt"]["steps"]]
    assert 'bash .github/scripts/run_domain_pipeline.sh "${SHA}"' in runs
    assert "python .github/scripts/dbt_env.py" in text  # the docs job's profile


def test_the_access_files_come_from_the_manifest_and_reach_every_stack(workflows):
    """One early job (no AWS) derives the grants and the schedule from the dbt manifest; the
    baseline and every project job apply exactly that artifact."""
    deploy = workflows["deploy.yml"]["jobs"]
    access = deploy["access"]
    runs = "\n".join(step.get("run", "") for step in access["steps"])
    assert "python -m pip install -q -e ." in runs
    assert "dbt parse --target local" in runs
    assert "python -m lakehouse.release.project_access" in runs and "--out access" in runs
    assert not aws_roles(access) and "id-token" not in access["permissions"]
    (upload,) = [s for s in access["steps"] if s.get("uses", "").startswith("actions/upload")]
    assert upload["with"]["name"] == "dbt-access-${{ inputs.environment }}"
    assert "access" in deploy["baseline"]["needs"]
    for job_id in ("baseline", "destroy-projects", "deploy-projects", "optimize-projects"):
        steps = deploy[job_id]["steps"]
        downloads = [s for s in steps if s.get("uses", "").startswith("actions/download-artifact")]
        assert [d["with"]["name"] for d in downloads] == ["dbt-access-${{ inputs.environment }}"]
        if job_id == "baseline":
            assert '-var-file="${GITHUB_WORKSPACE}/access/domain.tfvars.json"' in steps[-1]["run"]
        else:
            assert steps[-1]["env"]["TF_DBT_ACCESS_DIR"] == "${{ github.workspace }}/access"
    plan = workflows["terraform-plan.yml"]["jobs"]["plan"]
    assert "python -m lakehouse.release.project_access" in "\n".join(
        step.get("run", "") for step in plan["steps"]
    )
    (planning,) = [s for s in plan["steps"] if "tf-stack.sh" in s.get("run", "")]
    assert planning["env"]["TF_DBT_ACCESS_DIR"] == "${{ github.workspace }}/access"


def test_the_deployment_is_recorded_by_the_artifacts_role_after_every_build():
    """The manifest and commit are the next deployment's base: written only once every
    project's build and the docs succeeded, by the role that may write the artifacts bucket."""
    docs = load_workflow(WORKFLOWS / "deploy.yml")["jobs"]["docs"]
    steps = "\n".join(step.get("run", "") for step in docs["steps"])
    assert "deployments/${DEPLOY_ENV}/commit" in steps
    assert "dbt/${DEPLOY_ENV}/manifest.json" in steps
    assert aws_roles(docs) == {"${{ vars.AWS_ROLE_ARTIFACTS }}"}


def test_the_docs_site_is_synced_where_its_distribution_serves_it():
    """docs/<env>/ of the artifacts bucket (the docs distribution's origin path, the naming
    module's docs_prefix); then the cache of the distribution the baseline made is invalidated."""
    jobs = load_workflow(WORKFLOWS / "deploy.yml")["jobs"]
    docs = jobs["docs"]["steps"]
    steps = "\n".join(step.get("run", "") for step in docs)
    assert 'aws s3 sync --delete site/ "s3://${BUCKET}/docs/${DEPLOY_ENV}/"' in steps
    (invalidate,) = [s for s in docs if "aws cloudfront create-invalidation" in s.get("run", "")]
    assert invalidate["env"]["DISTRIBUTION"] == "${{ needs.baseline.outputs.docs-distribution-id }}"
    assert "baseline" in jobs["docs"]["needs"]
    (apply,) = [s for s in jobs["baseline"]["steps"] if s.get("id") == "apply"]
    assert "terraform output -json docs_site | jq -r .distribution_id" in apply["run"]
    outputs = jobs["baseline"]["outputs"]
    assert outputs["docs-distribution-id"] == "${{ steps.apply.outputs.docs-distribution-id }}"


def test_dbt_env_names_the_project_session_role_and_the_refined_bucket():
    script = Path(__file__).resolve().parents[2] / ".github" / "scripts" / "dbt_env.py"
    out = subprocess.run(
        [sys.executable, str(script), "int", "123456789012", "sales"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == [
        "DBT_GLUE_ROLE_ARN=arn:aws:iam::123456789012:role/cmr-int-sales-dbt-session",
        "DBT_GLUE_LOCATION=s3://ie-cmr-int-refined-123456789012/sales/",
        # a session the project's dbt-caller policy may run (cmr-int-sales-dbt and its __*)
        "DBT_GLUE_SESSION_ID=cmr-int-sales-dbt__deploy",
        "RAW_DATABASE=cmr_raw",
    ]
    bad = subprocess.run(
        [sys.executable, str(script), "int", "12345", "sales"], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "12 digits" in bad.stderr


def test_pull_requests_get_the_plan_posted(workflows):
    plan = workflows["terraform-plan.yml"]
    assert set(plan["on"]) == {"pull_request"}, "never pull_request_target"
    assert plan["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    assert plan["jobs"]["plan"]["permissions"] == {"contents": "read", "id-token": "write"}


def test_contracts_are_checked_on_pull_requests_and_before_every_deployment(workflows):
    pull_request = workflows["ci.yml"]["jobs"]["contracts"]
    assert pull_request["if"] == "github.event_name == 'pull_request'"
    checkout = next(
        s for s in pull_request["steps"] if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["fetch-depth"] == 0, "the check parses the target branch from git"
    assert any(
        'make contract-check BASE="origin/${BASE_REF}"' in s.get("run", "")
        for s in pull_request["steps"]
    )
    deploy = workflows["deploy.yml"]["jobs"]["contracts"]
    run = "\n".join(s.get("run", "") for s in deploy["steps"])
    assert (
        'aws s3 cp "s3://${BUCKET}/${key}"' in run
        and 'key="dbt/${DEPLOY_ENV}/manifest.json"' in run
    )
    assert 'contract_check --state "${RUNNER_TEMP}/deployed"' in run
    # what the check reads is what the last deployment recorded
    recorded = "\n".join(s.get("run", "") for s in workflows["deploy.yml"]["jobs"]["docs"]["steps"])
    assert "s3://${BUCKET}/dbt/${DEPLOY_ENV}/manifest.json" in recorded


def test_dependabot_covers_pip_and_actions():
    import yaml

    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"pip", "github-actions"}


def test_docs_name_every_variable_the_workflows_read():
    docs = (ROOT / "docs" / "ci-cd.md").read_text()
    used = set()
    for path in workflow_files():
        used |= set(re.findall(r"vars\.([A-Z0-9_]+)", path.read_text()))
    assert used, "the workflows read no variables?"
    missing = sorted(v for v in used if f"`{v}`" not in docs)
    assert not missing, f"docs/ci-cd.md does not document {missing}"
    for environment in ("dev", "int", "prod", "prod-approval", "dev-plan", "int-plan", "prod-plan"):
        assert f"`{environment}`" in docs, f"docs/ci-cd.md does not describe {environment}"


def test_ci_yaml_files_load_with_the_helper():
    for path in workflow_files():
        assert "on" in load_workflow(path)


def test_a_failed_stage_stops_every_later_stage(workflows):
    """Jobs after a skippable matrix use `!cancelled()`: each must still demand that the
    stages it builds on succeeded, or dbt would run on a half-deployed environment."""
    deploy = workflows["deploy.yml"]["jobs"]
    assert "needs.access.result == 'success'" in deploy["baseline"]["if"]
    assert "needs.baseline.result == 'success'" in deploy["artifacts"]["if"]
    for job_id in ("destroy-projects", "deploy-projects", "dbt"):
        assert "needs.artifacts.result == 'success'" in deploy[job_id]["if"], job_id
    assert "needs.deploy-projects.result != 'failure'" in deploy["dbt"]["if"]
    assert "needs.destroy-projects.result != 'failure'" in deploy["deploy-projects"]["if"]
    assert "needs.dbt.result == 'success'" in deploy["dbt-docs"]["if"]
    assert "needs.dbt-docs.result == 'success'" in deploy["docs"]["if"]
    assert "needs.dbt.result == 'success'" in deploy["optimize-projects"]["if"]
    assert "needs.optimize-projects.result != 'failure'" in deploy["docs"]["if"]


def test_every_command_of_the_ci_entry_point_and_of_make_run_is_followed_by_the_stray_check(
    workflows,
):
    """No command may leave a process behind (metastore, PostgreSQL, glue-local, a browser):
    .ci/run and the dbt-build job check it by pid after each long command."""
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line]
    for command in ("make test", "make parity"):
        assert lines[lines.index(command) + 1] == STRAY_CHECK, command
    runs = [
        step.get("run", "").strip() for step in workflows["ci.yml"]["jobs"]["dbt-build"]["steps"]
    ]
    assert runs[runs.index("make run SF=0.01") + 1] == STRAY_CHECK


def test_a_pull_request_builds_what_it_changed_on_its_base_commits_lakehouse(workflows):
    """Pushes keep their lakehouse; a pull request restores its base commit's and runs the gate,
    which builds state:modified+ against the base's published state (tests/models/
    test_changed_only.py proves the selection); without the cache, the whole make run."""
    steps = {
        s.get("name", s.get("uses", "")): s
        for s in workflows["ci.yml"]["jobs"]["dbt-build"]["steps"]
    }
    base = steps["The base commit's lakehouse (pull requests)"]
    assert base["uses"].startswith("actions/cache/restore@")
    assert base["with"] == {
        "path": ".lakehouse",
        "key": "lakehouse-${{ github.event.pull_request.base.sha }}",
    }
    gate = steps["make gate (what the pull request changed, and its children)"]
    assert gate["if"] == "steps.base.outputs.cache-hit == 'true'" and gate["run"].startswith(
        "make gate"
    )
    assert steps["make run"]["if"] == "steps.base.outputs.cache-hit != 'true'"
    keep = steps["Keep this commit's lakehouse for the pull requests based on it"]
    assert keep["if"] == "github.event_name == 'push'"
    assert keep["with"] == {"path": ".lakehouse", "key": "lakehouse-${{ github.sha }}"}
