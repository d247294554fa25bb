"""CI's bandit scan fails on findings: keep the tree clean of them here, with the same command."""

from __future__ import annotations

import subprocess

from checkout import ROOT

from lakehouse.checks.lint import tool

from .workflows import WORKFLOWS

BANDIT_ARGS = ["-c", "pyproject.toml", "-r", "ingestion", "lakehouse", "terraform/scripts"]
BANDIT_ARGS += [".github/scripts", "-ll"]


def test_ci_runs_bandit_with_these_arguments():
    assert f"bandit {' '.join(BANDIT_ARGS)}" in (WORKFLOWS / "ci.yml").read_text()


def test_bandit_finds_nothing_of_medium_or_high_severity():
    proc = subprocess.run(
        [tool("bandit"), *BANDIT_ARGS, "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def test_bandit_reports_a_medium_finding(tmp_path):
    risky = tmp_path / "risky.py"
    risky.write_text("import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n")
    proc = subprocess.run(
        [tool("bandit"), "-ll", "-q", str(risky)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert "B506" in proc.stdout  # yaml.load without a safe loader
