"""One build at a time per lakehouse.

`make run` and `make dbt` write the same tables, audit branches and dbt `target/`; two at once
on one lakehouse would interleave them. Each holds `<lakehouse>/build.lock` (an flock, which
the kernel drops when the process ends: a killed build leaves no stale lock) and a second
build is refused in one line naming the holder. Readers (`make sql`, the shell) and the
ingestion jobs take no lock: the served metastore and Iceberg's commit protocol keep them safe
beside a build (docs/local-lakehouse.md).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lakehouse.local.metastore import Refusal


@contextmanager
def held(home: Path, command: str) -> Iterator[None]:
    """Holds the lakehouse's build lock for the block; refuses if another process holds it."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "build.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise Refusal(
                f"{home} is being built by {holder}: wait for it to end (or stop it), then run "
                "again; `make sql` can query it meanwhile"
            ) from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()} ({command})\n")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
