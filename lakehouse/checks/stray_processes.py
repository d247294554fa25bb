"""No process left behind: lists the live processes a command left running under a folder.

`python -m lakehouse.checks.stray_processes [folder ...]` prints each process whose working
directory or command line is under one of the folders (default: this checkout, pytest's
temporary folders and the tests' temporary lakehouses), by pid and command, and exits 1 if
any still runs after a grace period (`--grace`, 30 s: a JVM whose Python exited takes a few
seconds to shut down). CI runs it after `make run`, `make test` and `make parity`: a metastore
server, a CRM PostgreSQL, a glue-local or a browser that outlives its command is a bug. This
process and its ancestors (the CI shell) are not counted.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Process:
    pid: int
    command: str


def _ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the name: state, ppid
    return pids


def _under(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f + "/") for f in folders)


def stray_processes(folders: list[Path]) -> list[Process]:
    roots = [str(f.resolve()) for f in folders]
    skip = _ancestors()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in skip:
            continue
        try:
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue  # a zombie runs nothing; its parent reaps it
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = os.readlink(entry / "cwd")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        words = [a.decode(errors="replace") for a in arguments if a]
        # a folder in an argument: the path itself or an option's value (-Dhome=/x, --dir=/x)
        paths = [cwd, *(w.split("=", 1)[-1] for w in words)]
        if any(_under(p, roots) for p in paths):
            found.append(Process(int(entry.name), " ".join(words)[:200]))
    return sorted(found, key=lambda p: p.pid)


def _default_folders() -> list[Path]:
    from lakehouse_jobs.paths import repo_root

    temp = Path(tempfile.gettempdir())  # pytest's folders, and the lakehouses tests make there
    return [repo_root(), temp / f"pytest-of-{getpass.getuser()}", *temp.glob("lakehouse-*")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--grace", type=float, default=30, help="seconds to let exits finish")
    args = parser.parse_args(argv)
    folders = args.folders or _default_folders()
    deadline = time.monotonic() + args.grace
    found = stray_processes(folders)
    while found and time.monotonic() < deadline:
        time.sleep(1)
        found = stray_processes(folders)
    for process in found:
        print(f"stray process: pid {process.pid}: {process.command}")
    if found:
        where = ", ".join(map(str, folders))
        print(f"{len(found)} process(es) outlived their command under {where}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
