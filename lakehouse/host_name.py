"""Spark where the machine's host name does not resolve (containers, CI runners without an
/etc/hosts entry for it).

Spark asks the JVM for the host name (InetAddress.getLocalHost) and dies at start when it does
not resolve. SPARK_LOCAL_HOSTNAME=localhost covers Spark's own start (the lakehouse listens on
127.0.0.1 only: spark.driver.host/bindAddress), but other JVM code calls getLocalHost itself:
Hive's metastore on every DROP DATABASE (TxnHandler, ServerUtils.hostname) and spark-submit
when AWS credentials are in the environment (glue-local's callers). So where the name does not
resolve, the JVM also gets a hosts file that maps it to 127.0.0.1 (-Djdk.net.hosts.file in
SPARK_SUBMIT_OPTS, which spark-submit passes to the driver's JVM): such a JVM resolves only
that name and localhost, all the local lakehouse needs. Where the name resolves, nothing but
SPARK_LOCAL_HOSTNAME is set.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

HOSTS_FILE_OPTION = "-Djdk.net.hosts.file="


def _resolves(name: str) -> bool:
    try:
        socket.getaddrinfo(name, None)
    except OSError:
        return False
    return True


def _hosts_file(name: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"lakehouse-jvm-hosts-{os.getuid()}-{name}"
    text = f"127.0.0.1 localhost {name}\n::1 localhost {name}\n"
    if not path.is_file() or path.read_text() != text:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(text)
        partial.replace(path)
    return path


def variables() -> dict[str, str]:
    """The environment's SPARK_LOCAL_HOSTNAME or localhost; and, where the host name does not
    resolve, SPARK_SUBMIT_OPTS with a hosts file that resolves it (unless it has one)."""
    found = {"SPARK_LOCAL_HOSTNAME": os.environ.get("SPARK_LOCAL_HOSTNAME") or "localhost"}
    opts = os.environ.get("SPARK_SUBMIT_OPTS", "")
    if HOSTS_FILE_OPTION not in opts:
        name = socket.gethostname()
        if not _resolves(name):
            found["SPARK_SUBMIT_OPTS"] = f"{opts} {HOSTS_FILE_OPTION}{_hosts_file(name)}".strip()
    return found


def apply() -> None:
    """Puts `variables()` into this process's environment (and so its children's)."""
    os.environ.update(variables())
