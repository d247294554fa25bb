""".github/scripts/run_domain_pipeline.sh (deploy.yml's dbt job): it starts the domain's
schedule without ingestion for batch deploy-<sha>, waits for it, and fails when it fails. `aws`
is a stand-in on PATH that answers like the CLI (the execution's states from a file) and
records what it was given."""

from __future__ import annotations

import json
import subprocess

import pytest
from checkout import ROOT

from .workflows import stand_ins

SCRIPT = ROOT / ".github" / "scripts" / "run_domain_pipeline.sh"
EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:cmr-dev-domain-pipeline:e1"

FAKE_AWS = """#!/usr/bin/env bash
echo "$*" >> "$CALLS"
case "$1 $2" in
  "sts get-caller-identity") echo 123456789012 ;;
  "glue get-tables") echo "${RAW_TABLES:-3}" ;;
  "stepfunctions start-execution") echo "$EXECUTION" ;;
  "stepfunctions describe-execution")
    case "$*" in
      *"--query status "*)  # the next state of the execution
        head -n1 "$STATES"; sed -i 1d "$STATES" ;;
      *) echo '{"status": "FAILED", "error": "PipelineFailed", "cause": "sales upstream"}' ;;
    esac ;;
  *) echo "unexpected aws $*" >&2; exit 1 ;;
esac
"""


@pytest.fixture
def run(tmp_path):
    calls, states = tmp_path / "calls.txt", tmp_path / "states.txt"
    env = stand_ins(tmp_path, aws=FAKE_AWS) | {
        "CALLS": str(calls),
        "STATES": str(states),
        "EXECUTION": EXECUTION,
        "DEPLOY_ENV": "dev",
        "AWS_REGION": "eu-west-1",
        "POLL_SECONDS": "0",
    }

    def go(*statuses: str, **extra: str):
        states.write_text("".join(f"{s}\n" for s in statuses))
        calls.unlink(missing_ok=True)
        done = subprocess.run(
            ["bash", str(SCRIPT), "0123abc"], env=env | extra, capture_output=True, text=True
        )
        return done, calls.read_text().splitlines() if calls.exists() else []

    return go


def test_it_starts_the_domain_pipeline_without_ingestion_and_waits(run):
    done, calls = run("RUNNING", "RUNNING", "SUCCEEDED")
    assert done.returncode == 0, done.stderr
    (start,) = [c for c in calls if c.startswith("stepfunctions start-execution")]
    machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:cmr-dev-domain-pipeline"
    assert f"--state-machine-arn {machine}" in start
    given = json.loads(start.split("--input ", 1)[1].split(" --query")[0])
    assert given == {"batch_id": "deploy-0123abc", "ingest": False}
    looks = [c for c in calls if c.startswith("stepfunctions describe-execution")]
    assert len(looks) == 3 and all(f"--execution-arn {EXECUTION}" in c for c in looks)


def test_a_failed_execution_fails_the_job(run):
    done, _ = run("RUNNING", "FAILED")
    assert done.returncode == 1
    assert "the domain pipeline ended FAILED" in done.stdout
    assert '"cause": "sales upstream"' in done.stderr


def test_a_fresh_environment_without_raw_tables_is_not_built(run):
    done, calls = run("SUCCEEDED", RAW_TABLES="0")
    assert done.returncode == 0, done.stderr
    assert "::notice::no raw tables yet for customers sales supply" in done.stdout
    assert not [c for c in calls if c.startswith("stepfunctions")]
    # one look per project with sources (models/<project>/staging/<source>/_*__sources.yml)
    assert sorted(c.split("--expression ")[1].split()[0] for c in calls) == [
        "customers__.*",
        "sales__.*",
        "supply__.*",
    ]
