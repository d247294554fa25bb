"""What the deployed pipelines run, read from the Terraform plans (`terraform show -json`):
the domain schedule's waves, and each project's gate command with its environment.

Parity runs exactly these, so that a change to the buildspec, to the schedule or to a role is
a change to what parity proves.
"""

from __future__ import annotations

import json
import shlex
import string
from dataclasses import dataclass

import yaml

DOMAIN_PIPELINE = "-domain-pipeline"
PROJECT_PIPELINE = "-pipeline"


def resources(show: dict, kind: str) -> list[dict]:
    """The values of every resource instance of one type in a plan or state."""
    root = (show.get("planned_values") or show.get("values") or {}).get("root_module", {})
    found: list[dict] = []

    def walk(module: dict) -> None:
        found.extend(r["values"] for r in module.get("resources", []) if r["type"] == kind)
        for child in module.get("child_modules", []):
            walk(child)

    walk(root)
    return found


def domain_waves(baseline: dict) -> list[list[tuple[str, str]]]:
    """The domain schedule's waves of (project, stage), in order, without the ingest state
    (parity loads raw data itself)."""
    (machine,) = [
        m for m in resources(baseline, "aws_sfn_state_machine")
        if m["name"].endswith(DOMAIN_PIPELINE)
    ]  # fmt: skip
    prefix = machine["name"].removesuffix(DOMAIN_PIPELINE) + "-"  # <abbr>-<env>-
    definition = json.loads(machine["definition"])
    waves: list[list[tuple[str, str]]] = []
    state_name = definition["StartAt"]
    while state_name:
        state = definition["States"][state_name]
        if state["Type"] == "Parallel":
            wave = [_branch_stage(branch, prefix) for branch in state["Branches"]]
            wave = [stage for stage in wave if stage and stage[1] != "ingest"]
            if wave:
                waves.append(wave)
        # a Choice (skip the ingest state?) goes on by its default: every path meets the waves
        state_name = state.get("Next") or state.get("Default")
    return waves


def _branch_stage(branch: dict, prefix: str) -> tuple[str, str] | None:
    task = branch["States"][branch["StartAt"]]
    parameters = task.get("Parameters", {})
    arn = parameters.get("StateMachineArn", "")
    if not arn.endswith(PROJECT_PIPELINE):
        return None
    project = arn.rsplit(":", 1)[-1].removeprefix(prefix).removesuffix(PROJECT_PIPELINE)
    return project, parameters.get("Input", {}).get("stage", "all")


@dataclass(frozen=True)
class Build:
    """One project's CodeBuild: its gate command, its environment, its service role."""

    project: str
    command: str  # the buildspec's build command, with $VARIABLES
    environment: dict[str, str]
    service_role: str  # the role CodeBuild runs as: the caller of dbt-glue's API calls

    def argv(self, stage: str) -> list[str]:
        env = {**self.environment, "STAGE": stage}
        return shlex.split(string.Template(self.command).substitute(env))

    def env(self, stage: str) -> dict[str, str]:
        return {**self.environment, "STAGE": stage}


def project_build(plan: dict, project: str) -> Build:
    (codebuild,) = resources(plan, "aws_codebuild_project")
    spec = yaml.safe_load(codebuild["source"][0]["buildspec"])
    (command,) = spec["phases"]["build"]["commands"]
    environment = {k: str(v) for k, v in spec["env"]["variables"].items()}
    for variable in codebuild["environment"][0].get("environment_variable", []):
        environment[variable["name"]] = variable["value"]
    return Build(project, command, environment, codebuild["service_role"].rsplit("/", 1)[-1])
