"""The local lakehouse's metastore, served: one Derby network server per lakehouse folder.

Spark's embedded Derby lets one process open the metastore at a time; served, any number of
processes share it (`make sql` during `make run`, two ingestion jobs at once). Every local Spark
start calls `ensure`, which starts the server on demand and records the process as a client. A
supervisor (`python -m lakehouse.local.metastore serve`) owns the Derby JVM: it stops it when
no client has been alive for LAKEHOUSE_METASTORE_IDLE seconds (300), or at `make stop`; `make
run` and `make test` stop it when they end. The server listens on 127.0.0.1 only.

Start-up failures a user can cause are `Refusal`s: one line that says what to do.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from lakehouse_jobs.paths import lakehouse_dir, metastore_port

DERBY_JARS = [Path("/usr/share/java") / f"{n}.jar" for n in ("derby", "derbynet", "derbytools")]
CLIENT_JAR = Path("/usr/share/java/derbyclient.jar")
LOCK_TABLES = Path(__file__).with_name("metastore_locks.sql")
MIN_FREE_MIB = 512
START_TIMEOUT = 120


class Refusal(Exception):
    """A start-up failure the user can fix; its message is the one line to print."""


def address(home: Path) -> str:
    return f"127.0.0.1:{metastore_port(home)}"


def _state(home: Path) -> Path:
    return home / "metastore_server"


def _read_server(home: Path) -> dict | None:
    try:
        server = json.loads((_state(home) / "server.json").read_text())
    except (OSError, ValueError):
        return None
    return server if _alive(server["pid"]) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z"


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _port_holder(port: int) -> str:
    """`pid N (command)` of the process listening on the port, when /proc tells."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                inodes.add(fields[9])
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in {f"socket:[{i}]" for i in inodes}:
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    return f"pid {proc.name} ({command.strip()[:80]})"
        except OSError:
            continue
    return "another process"


def _clients(home: Path) -> Path:
    folder = _state(home) / "clients"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _live_clients(home: Path, exclude: int | None = None) -> list[int]:
    live = []
    for lease in _clients(home).iterdir():
        pid = int(lease.name) if lease.name.isdigit() else None
        if pid is not None and pid != exclude and _alive(pid):
            live.append(pid)
        elif pid != exclude:
            lease.unlink(missing_ok=True)
    return live


def _check_can_start(home: Path, port: int) -> None:
    if shutil.which("java") is None:
        raise Refusal("Java is not on PATH: install Java 17 (openjdk-17-jre-headless)")
    missing = [str(j) for j in [*DERBY_JARS, CLIENT_JAR] if not j.is_file()]
    if missing:
        raise Refusal(f"Derby's network server is not installed ({missing[0]}): run `make setup`")
    home.mkdir(parents=True, exist_ok=True)
    free_mib = shutil.disk_usage(home).free // 2**20
    if free_mib < MIN_FREE_MIB:
        raise Refusal(
            f"only {free_mib} MiB free where the lakehouse is ({home}): the metastore needs "
            f"{MIN_FREE_MIB} MiB; free some space and retry"
        )
    if listening(port):
        raise Refusal(
            f"port {port}, the metastore port of {home}, is used by {_port_holder(port)}: stop "
            "it, or set LAKEHOUSE_METASTORE_PORT to a free port"
        )
    held = _embedded_holder(home)
    if held:
        raise Refusal(
            f"the metastore of {home} is open in {held} (an embedded metastore, from an older "
            "checkout): let it finish or stop it, then retry"
        )


def _embedded_holder(home: Path) -> str | None:
    """Derby's lock on metastore_db/db.lck, held by a JVM that opened the database itself."""
    lock = home / "metastore_db" / "db.lck"
    if not lock.exists():
        return None
    with open(lock, "rb+") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return _lock_holder(lock)
        fcntl.lockf(handle, fcntl.LOCK_UN)
    return None


def _lock_holder(lock: Path) -> str:
    inode = str(lock.stat().st_ino)
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == inode:
            pid = fields[4]
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                command = "?"
            return f"pid {pid} ({command.strip()[:80]})"
    return "another process"


def ensure(home: Path | None = None) -> str:
    """The running metastore of the lakehouse (started if need be), with this process as a
    client; returns its address (host:port)."""
    home = (home or lakehouse_dir()).absolute()
    port = metastore_port(home)
    (_clients(home) / str(os.getpid())).touch()
    if _read_server(home) is not None and listening(port):
        return address(home)
    with open(_state(home) / "start.lock", "w") as start_lock:
        fcntl.flock(start_lock, fcntl.LOCK_EX)  # one starter; the others wait for its server
        server = _read_server(home)
        if server is not None:
            _wait_ready(home, server["pid"], port)
            return address(home)
        _check_can_start(home, port)
        log = open(_state(home) / "server.log", "ab")  # noqa: SIM115 - the child keeps it
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "lakehouse.local.metastore", "serve", "--home", str(home)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # Ctrl-C in the client's terminal must not stop the server
        )
        _wait_ready(home, supervisor.pid, port)
    return address(home)


def _wait_ready(home: Path, pid: int, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        server = _read_server(home)
        if server is not None and server.get("ready") and listening(port):
            return
        if not _alive(pid):
            break
        time.sleep(0.2)
    log = (_state(home) / "server.log").read_text(errors="replace").strip().splitlines()
    last = log[-1] if log else "no output"
    raise Refusal(f"the metastore of {home} did not start ({last}): see {_state(home)}/server.log")


def stop(home: Path | None = None, if_idle: bool = False) -> bool:
    """Stops the lakehouse's metastore server; with if_idle only when no other client lives.
    True when no server runs afterwards."""
    home = (home or lakehouse_dir()).absolute()
    if not _state(home).is_dir():
        return True
    server = _read_server(home)
    if server is None:
        return True
    if if_idle and _live_clients(home, exclude=os.getpid()):
        return False
    os.kill(server["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 60
    while _alive(server["pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _alive(server["pid"])


def _java(home: Path, main: str, *args: str, classpath: list[Path]) -> list[str]:
    options = os.environ.get("SPARK_SUBMIT_OPTS", "").split()  # the host-name fix, if any
    return [
        "java",
        *options,
        f"-Dderby.system.home={home}",
        f"-Dderby.stream.error.file={_state(home) / 'derby.log'}",
        "-cp",
        ":".join(map(str, classpath)),
        main,
        *args,
    ]


def serve(home: Path, idle_seconds: float) -> int:
    """The supervisor: runs Derby's network server until stopped or idle."""
    port = metastore_port(home)
    control = "org.apache.derby.drda.NetworkServerControl"
    where = ["-h", "127.0.0.1", "-p", str(port)]
    derby = subprocess.Popen(
        _java(home, control, "start", *where, "-noSecurityManager", classpath=DERBY_JARS),
        stdin=subprocess.DEVNULL,
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while not listening(port):
            if derby.poll() is not None:
                print(f"Derby's network server exited with {derby.returncode}", flush=True)
                return 1
            time.sleep(0.2)
        url = f"jdbc:derby://127.0.0.1:{port}/metastore_db;create=true"
        script = f"connect '{url}';\n{LOCK_TABLES.read_text()}"
        subprocess.run(  # ij, Derby's SQL tool; existing tables fail harmlessly
            _java(home, "org.apache.derby.tools.ij", classpath=[DERBY_JARS[2], CLIENT_JAR]),
            input=script.encode(),
            stdout=subprocess.DEVNULL,
            check=True,
        )
        server = {"pid": os.getpid(), "derby_pid": derby.pid, "port": port, "ready": True}
        (_state(home) / "server.json").write_text(json.dumps(server))
        print(f"serving the metastore of {home} on 127.0.0.1:{port}", flush=True)
        idle_since = time.monotonic()
        while not stopping and derby.poll() is None:
            if _live_clients(home):
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > idle_seconds:
                print(f"no client for {idle_seconds:.0f} s: stopping", flush=True)
                break
            time.sleep(1)
    finally:
        (_state(home) / "server.json").unlink(missing_ok=True)
        if derby.poll() is None:
            subprocess.run(  # a clean shutdown; killed if it does not come
                _java(home, control, "shutdown", *where, classpath=DERBY_JARS),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            )
            try:
                derby.wait(timeout=30)
            except subprocess.TimeoutExpired:
                derby.kill()
                derby.wait()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["serve", "ensure", "stop", "status"])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--if-idle", action="store_true", help="stop: only when no client lives")
    args = parser.parse_args(argv)
    home = (args.home or lakehouse_dir()).absolute()
    try:
        if args.command == "serve":
            return serve(home, float(os.environ.get("LAKEHOUSE_METASTORE_IDLE", "300")))
        if args.command == "ensure":
            print(ensure(home))
            return 0
        if args.command == "stop":
            stopped = stop(home, if_idle=args.if_idle)
            print("metastore stopped" if stopped else "metastore kept: a client still runs")
            return 0
        server = _read_server(home)
        print(f"metastore of {home}: " + (f"serving on {address(home)}" if server else "stopped"))
        return 0
    except Refusal as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
