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

from lakehouse.environment import dbt_environment
from lakehouse.glue_local.resources import ACCOUNT_ID, REGION, S3_ROOT

# The principal of glue-local's own callers (and the role of their sessions) when it enforces
# IAM: an --iam file gives it every permission (parity's loading and fingerprints).
ADMIN = "glue-local"
ADMIN_ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/{ADMIN}"


def aws_env(url: str, caller: str = ADMIN) -> dict[str, str]:
    """What boto3 (in dbt-glue, or here) needs to talk to glue-local as `caller` (the access
    key id names the principal; the secret is never checked), and nothing on AWS."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": caller,
        "AWS_SECRET_ACCESS_KEY": "glue-local",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def s3_path(home: Path, uri: str) -> str:
    """An s3:// URI as the folder glue-local keeps it in: <home>/s3/<bucket>/<key>."""
    return str(home / S3_ROOT / uri.removeprefix("s3://")) if uri.startswith("s3://") else uri


def dbt_env(url: str, home: Path, caller: str = ADMIN, **values: str) -> dict[str, str]:
    """The environment of a dbt-glue run against glue-local as `caller`, with dbt's files under
    `home`; `values` (DBT_GLUE_ROLE_ARN, DBT_GLUE_LOCATION, ...) as on AWS, s3:// URIs in
    them mapped to glue-local's folders. Tables land on the buckets' folders there too
    (DBT_GLUE_STORAGE_ROOT, macros/naming/locations.sql)."""
    env = {
        "DBT_GLUE_ROLE_ARN": ADMIN_ROLE,
        "DBT_GLUE_LOCATION": f"s3://glue-local-{ACCOUNT_ID}/",
        **values,
    }
    return {
        **os.environ,
        **aws_env(url, caller),
        **dbt_environment(home),
        **{k: s3_path(home, v) for k, v in env.items()},
        "DBT_GLUE_STORAGE_ROOT": str(home / S3_ROOT),
    }


def logged(command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> int:
    """A command in a child process, its output appended to `log`; its exit code."""
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        return subprocess.run(
            command, env=env, cwd=cwd or repo_root(), stdout=out, stderr=subprocess.STDOUT
        ).returncode


def dbt_glue(url: str, home: Path, *args: str, project_dir: Path | None = None) -> int:
    """`dbt <args> --target dev` against glue-local (`make glue-local-dbt`), as its admin, in
    a child process logged to <home>/dbt.log."""
    dbt = Path(sys.executable).with_name("dbt")
    project = str(project_dir or repo_root())
    command = [str(dbt), *args, "--target", "dev", "--project-dir", project]
    return logged(command, dbt_env(url, home), home / "dbt.log")


def glue_client(url: str, service: str = "glue", caller: str = ADMIN):
    import boto3

    env = aws_env(url, caller)
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


@contextmanager
def glue_local(
    home: Path, iam: Path | None = None, startup_seconds: float = 600
) -> Iterator[tuple[str, int]]:
    """glue-local in its own process (and process group: its JVM goes with it) on `home`,
    enforcing the principals of `iam` when given; yields its URL and process id."""
    home.mkdir(parents=True, exist_ok=True)
    ready = home / "glue-local.url"
    ready.unlink(missing_ok=True)
    log = (home / "glue-local.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "lakehouse.glue_local", "--port", "0",
         "--lakehouse-dir", str(home), "--ready-file", str(ready),
         *(["--iam", str(iam)] if iam else [])],
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
        from lakehouse.local import metastore

        metastore.stop(home, if_idle=True)  # its metastore server goes with it


def run_python(url: str, code: str, session_id: str = "parity") -> str:
    """Runs Python in a glue-local session (where `spark` is) and returns what it printed."""
    glue = glue_client(url)
    try:
        glue.get_session(Id=session_id)
    except glue.exceptions.EntityNotFoundException:
        glue.create_session(
            Id=session_id, Role=ADMIN_ROLE,
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


def main(argv: list[str] | None = None) -> int:
    """`make glue-local-dbt ARGS="build -s orders"`: dbt-glue against a running glue-local,
    as its admin, on the shared schemas."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("args", nargs=argparse.REMAINDER, help="dbt's arguments")
    args = parser.parse_args(argv)
    code = dbt_glue(args.url, args.home, *args.args, "--vars", "{shared_schemas: true}")
    print(f"dbt exited with {code}; its log: {args.home / 'dbt.log'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
