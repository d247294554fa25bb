"""A machine whose host name does not resolve (containers, CI runners without an /etc/hosts
entry for it): Spark still starts and the metastore still drops a database, because the
lakehouse names itself localhost and gives the JVM a hosts file that resolves the machine's
name (lakehouse/host_name.py). Without that the JVM dies at start with UnknownHostException
from InetAddress.getLocalHost (Spark's start; spark-submit when AWS credentials are in the
environment) and Hive's DROP DATABASE fails (TxnHandler, ServerUtils.hostname).

The SQL shell runs as users run it, `python -m lakehouse.local.sql`, without the variables in
its environment but with (dummy) AWS credentials, inside a UTS namespace (unshare --uts) whose
host name is in no /etc/hosts.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from checkout import ROOT, VENV_BIN

pytestmark = pytest.mark.integration

HOST_NAME = "cmr-no-such-host-name"
JVM_HOST_VARIABLES = ("SPARK_LOCAL_HOSTNAME", "SPARK_LOCAL_IP", "SPARK_SUBMIT_OPTS")
STATEMENTS = """
create database host_name_probe;
drop database host_name_probe;
select 1 as one;
"""


def in_namespace(*command: str, env: dict[str, str] | None = None, timeout: int = 60):
    """`command` in a new UTS namespace whose host name is HOST_NAME."""
    return subprocess.run(
        ["unshare", "--uts", "--", "sh", "-c", 'hostname "$0" && exec "$@"', HOST_NAME, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def unresolvable():
    """Skips unless this machine may make a UTS namespace whose host name does not resolve."""
    probe = in_namespace("hostname")
    if probe.returncode != 0 or probe.stdout.strip() != HOST_NAME:
        pytest.skip(f"unshare --uts is not permitted here (needs root): {probe.stderr.strip()}")
    # the name must really not resolve, else the test below would prove nothing
    resolve = in_namespace(
        str(VENV_BIN / "python"), "-c", "import socket; socket.getaddrinfo(socket.gethostname(), 0)"
    )
    if resolve.returncode == 0:
        pytest.skip(f"{HOST_NAME} resolves on this machine (nss-myhostname?): nothing to prove")
    assert "gaierror" in resolve.stderr, resolve.stderr


def test_the_sql_shell_starts_spark_where_the_host_name_does_not_resolve(unresolvable, tmp_path):
    from lakehouse.local import jars

    home = tmp_path / "lakehouse"
    jars.ensure_jars(home)
    env = {k: v for k, v in os.environ.items() if k not in JVM_HOST_VARIABLES}
    env.update(
        LAKEHOUSE_DIR=str(home),
        LAKEHOUSE_DRIVER_MEMORY="1g",
        AWS_ACCESS_KEY_ID="testing",  # a dummy: spark-submit calls getLocalHost when set
        AWS_SECRET_ACCESS_KEY="testing",
    )
    statements = tmp_path / "statements.sql"
    statements.write_text(STATEMENTS)
    out = tmp_path / "out"
    done = in_namespace(
        str(VENV_BIN / "python"),
        "-m",
        "lakehouse.local.sql",
        "--file",
        str(statements),
        "--out",
        str(out),
        env=env,
        timeout=300,
    )
    assert "UnknownHostException" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert (out / "003.psv").read_text() == "one\n1\n"
