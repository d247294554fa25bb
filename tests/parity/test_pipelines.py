"""What parity reads of the deployed pipelines (no Spark, no Terraform): the domain schedule's
waves from its state machine, and a project's gate command and environment from its CodeBuild
project, as a plan shows them."""

import json

import yaml

from lakehouse.parity.pipelines import domain_waves, project_build


def show(*resources) -> dict:
    return {
        "planned_values": {
            "root_module": {
                "child_modules": [{"resources": [{"type": t, "values": v} for t, v in resources]}]
            }
        }
    }


def start(project: str, stage: str) -> dict:
    arn = f"arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-{project}-pipeline"
    return {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": arn, "Input": {"stage": stage}},
                "End": True,
            }
        },
    }


def test_the_waves_follow_the_state_machine_without_its_ingest_state():
    definition = {
        "StartAt": "CheckInput",
        "States": {
            "CheckInput": {"Type": "Choice", "Choices": [], "Default": "Ingest"},
            "Ingest": {
                "Type": "Parallel",
                "Branches": [start("sales", "ingest"), start("customers", "ingest")],
                "Next": "Wave1",
            },
            "Wave1": {
                "Type": "Parallel",
                "Branches": [start("customers", "upstream")],
                "Next": "Wave2",
            },
            "Wave2": {
                "Type": "Parallel",
                "Branches": [start("customers", "curated"), start("sales", "curated")],
                "Next": "Succeeded",
            },
            "Succeeded": {"Type": "Succeed"},
        },
    }
    machine = {"name": "cmr-dev-domain-pipeline", "definition": json.dumps(definition)}
    other = {"name": "cmr-dev-sales-pipeline", "definition": "{}"}
    baseline = show(("aws_sfn_state_machine", machine), ("aws_sfn_state_machine", other))
    assert domain_waves(baseline) == [
        [("customers", "upstream")],
        [("customers", "curated"), ("sales", "curated")],
    ]


def test_a_projects_build_is_its_buildspec_command_in_its_environment():
    buildspec = yaml.safe_dump(
        {
            "env": {"variables": {"DBT_TARGET": "dev", "DBT_PROJECT": "sales", "STAGE": "all"}},
            "phases": {
                "build": {
                    "commands": [
                        'python -m lakehouse.gate --target "$DBT_TARGET" --project '
                        '"$DBT_PROJECT" --stage "$STAGE" --vars \'{shared_schemas: true}\''
                    ]
                }
            },
        }
    )
    codebuild = {
        "source": [{"buildspec": buildspec}],
        "environment": [{"environment_variable": [{"name": "DBT_GLUE_ROLE_ARN", "value": "r"}]}],
        "service_role": "arn:aws:iam::123456789012:role/cmr-dev-sales-dbt-runner",
    }
    build = project_build(show(("aws_codebuild_project", codebuild)), "sales")
    assert build.service_role == "cmr-dev-sales-dbt-runner"
    assert build.argv("upstream") == [
        "python", "-m", "lakehouse.gate", "--target", "dev", "--project", "sales",
        "--stage", "upstream", "--vars", "{shared_schemas: true}",
    ]  # fmt: skip
    assert build.env("curated") == {
        "DBT_TARGET": "dev", "DBT_PROJECT": "sales", "STAGE": "curated", "DBT_GLUE_ROLE_ARN": "r"
    }  # fmt: skip
