"""A glue-local server in a process of its own, and boto3 clients of it.

    with glue_local(home) as (url, pid):       glue-local on `home` until the block ends
        glue_client(url).get_databases()

Every client here talks to the emulator only: dummy credentials, its endpoint, and no AWS
metadata service, so nothing reaches an AWS account by accident.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lakehouse_jobs.paths import repo_root

REGION = "eu-west-1"


def aws_env(url: str) -> dict[str, str]:
    """What boto3 (in dbt-glue, or here) needs to talk to glue-local, and nothing on AWS."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "glue-local",
        "AWS_SECRET_ACCESS_KEY": "glue-local",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def glue_client(url: str, service: str = "glue"):
    import boto3

    env = aws_env(url)
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


@contextmanager
def glue_local(home: Path, startup_seconds: float = 600) -> Iterator[tuple[str, int]]:
    """glue-local in its own process (and process group: its JVM goes with it) on `home`;
    yields its URL and process id."""
    home.mkdir(parents=True, exist_ok=True)
    ready = home / "glue-local.url"
    ready.unlink(missing_ok=True)
    log = (home / "glue-local.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "lakehouse.glue_local", "--port", "0",
         "--lakehouse-dir", str(home), "--ready-file", str(ready)],
        cwd=repo_root(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + startup_seconds
        while not ready.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"glue-local did not start; see {home / 'glue-local.log'}")
            time.sleep(0.5)
        yield ready.read_text(), server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # our own process group, nothing else
            server.wait()
        log.close()


def run_python(url: str, code: str, session_id: str = "parity") -> str:
    """Runs Python in a glue-local session (where `spark` is) and returns what it printed."""
    glue = glue_client(url)
    try:
        glue.get_session(Id=session_id)
    except glue.exceptions.EntityNotFoundException:
        glue.create_session(
            Id=session_id, Role="arn:aws:iam::123456789012:role/glue-local",
            Command={"Name": "glueetl", "PythonVersion": "3"},
        )  # fmt: skip
    statement_id = glue.run_statement(SessionId=session_id, Code=code)["Id"]
    while (statement := glue.get_statement(SessionId=session_id, Id=statement_id)["Statement"])[
        "State"
    ] not in ("AVAILABLE", "ERROR", "CANCELLED"):
        pass  # glue-local holds GetStatement until the statement is done (or a few seconds)
    output = statement.get("Output", {})
    if output.get("Status") != "ok":
        raise RuntimeError(f"{output.get('ErrorName')}: {output.get('ErrorValue')}")
    return output["Data"]["TextPlain"]
