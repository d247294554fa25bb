"""A machine whose host name does not resolve (containers, CI runners without an /etc/hosts
entry for it): Spark still starts, because the lakehouse names itself localhost
(SPARK_LOCAL_HOSTNAME, lakehouse/__init__.py; the Makefile exports it too). Without it the
JVM dies at start with UnknownHostException from InetAddress.getLocalHost.

The SQL shell runs as users run it, `python -m lakehouse.local.sql`, without the variable in
its environment, inside a UTS namespace (unshare --uts) whose host name is in no /etc/hosts.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from checkout import ROOT, VENV_BIN

pytestmark = pytest.mark.integration

HOST_NAME = "cmr-no-such-host-name"
JVM_HOST_VARIABLES = ("SPARK_LOCAL_HOSTNAME", "SPARK_LOCAL_IP")


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
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
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
    env.update(LAKEHOUSE_DIR=str(home), LAKEHOUSE_DRIVER_MEMORY="1g")
    done = in_namespace(
        str(VENV_BIN / "python"),
        "-m",
        "lakehouse.local.sql",
        "--query",
        "select 1 as one",
        env=env,
        timeout=300,
    )
    assert "UnknownHostException" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout == "one\n1\n"
