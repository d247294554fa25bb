"""The customers project's CRM: a real PostgreSQL server on 127.0.0.1, for the local lakehouse.

`lakehouse_crm(home)` is the lakehouse's CRM, which persists like a real source: created at its
first use (`make run`), then started for each command that reads it (the ingestion stage,
`make ingest`, `make crm`) and stopped after. `make crm` is psql on it as its administrator.
What it keeps:
  <home>/crm/admin.json    the administrator's login and the server's port (the CRM's owners)
  <home>/crm/secret.json   the ingestion job's login, the JSON of the Secrets Manager secret
                           it reads on AWS: `username`, `password`, `jdbc_url`
                           (the job reads it through CMR_CRM_SECRET_FILE)
  <temp>/lakehouse-crm-<digest of home>/   the data folder, where the server's user reaches it
`crm_server()` is a throw-away one (fresh folder, random passwords), deleted on exit.

A server is a child of this process in a session of its own (a Ctrl-C in `make crm`'s psql
cancels a query, not the server) that receives SIGINT if this process dies, even by SIGKILL:
no stray postgres, ever. PostgreSQL refuses to run as root, so as root it runs as an
unprivileged user (`nobody`).

    python -m lakehouse.local.crm [--query SQL]   # make crm [Q=...]: psql, as the administrator
                                                 # (or as PGUSER with PGPASSWORD, when set)
    python -m lakehouse.local.crm --remove        # make clean: delete the lakehouse's CRM
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lakehouse.local.metastore import listening

SERVER_USER = os.environ.get("LAKEHOUSE_PG_USER", "nobody")  # used only when running as root
ADMIN = "crm_admin"
READER = "crm_ingestion"  # what the ingestion job logs in as: read-only
DATABASE = "crm"
BINARIES = ("initdb", "postgres", "psql")


class PostgresUnavailable(RuntimeError):
    """The CRM cannot run or be reached; the message is the one line that says what to do."""


@dataclass(frozen=True)
class CrmServer:
    port: int
    admin_password: str
    reader_password: str = ""  # the job's password when the server was made (then: the secret's)
    host: str = "127.0.0.1"

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{self.host}:{self.port}/{DATABASE}"

    def secret(self) -> dict[str, str]:
        """The ingestion job's login, shaped as the Secrets Manager secret it reads on AWS."""
        return {"username": READER, "password": self.reader_password, "jdbc_url": self.jdbc_url}

    def psql_environment(self, environ: Mapping[str, str], database: str = DATABASE) -> dict:
        """libpq's variables for a database of the CRM: as the administrator, unless `environ`
        names another login (PGUSER, with its PGPASSWORD)."""
        admin = {"PGUSER": ADMIN, "PGPASSWORD": self.admin_password}
        login = {} if environ.get("PGUSER") else admin
        return {
            **environ,
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGDATABASE": database,
            "PGCONNECT_TIMEOUT": "5",
            **login,
        }

    def psql(self, sql: str, stdin: str | None = None, database: str = DATABASE) -> str:
        """One statement as the administrator, whatever login this process's environment names."""
        environ = {k: v for k, v in os.environ.items() if k not in ("PGUSER", "PGPASSWORD")}
        env = self.psql_environment(environ, database)
        done = subprocess.run(
            [_binary("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise PostgresUnavailable(
        f"PostgreSQL's {name} is not on PATH: install the server "
        "(Debian: apt-get install postgresql) to run the CRM database locally"
    )


def _run_as() -> list[str]:
    """Prefix that drops root to SERVER_USER (postgres will not run as root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root, and PostgreSQL refuses root: user {SERVER_USER!r} does not exist "
            "to run it as. Create it or set LAKEHOUSE_PG_USER to an unprivileged user."
        ) from None
    if not shutil.which("setpriv"):
        raise PostgresUnavailable("running as root needs util-linux's setpriv to drop privileges")
    return [
        "setpriv",
        f"--reuid={SERVER_USER}",
        f"--regid={pwd.getpwnam(SERVER_USER).pw_gid}",
        "--clear-groups",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _owned(path: Path) -> Path:
    """A file or folder the server's user owns (root's process hands it over)."""
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(path, account.pw_uid, account.pw_gid)
    return path


def _initdb(folder: Path, admin_password: str) -> None:
    """A new cluster in folder/data whose administrator ADMIN logs in with a password."""
    pwfile = folder / "pwfile"
    pwfile.write_text(admin_password + "\n")
    _owned(pwfile)
    init = subprocess.run(
        [
            *_run_as(),
            _binary("initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            ADMIN,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    pwfile.unlink()
    if init.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()}")


def _wait_ready(server: CrmServer, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PostgresUnavailable(f"postgres exited at start:\n{log.read_text()[-2000:]}")
        try:
            server.psql("select 1", database="postgres")
            return
        except RuntimeError:
            time.sleep(0.2)
    tail = log.read_text()[-2000:]
    raise PostgresUnavailable(f"postgres not accepting connections after 60 s:\n{tail}")


@contextmanager
def _running(folder: Path, server: CrmServer) -> Iterator[CrmServer]:
    """The cluster in folder/data served on server.port for the context, then stopped."""
    log = folder / "server.log"
    process = None
    try:
        with open(log, "w") as log_file:
            _owned(log)
            # setpriv also sets the parent-death signal: the server stops if we die
            process = subprocess.Popen(
                [
                    *(_run_as() or ["setpriv"]),
                    "--pdeathsig=SIGINT",
                    _binary("postgres"),
                    "-D",
                    str(folder / "data"),
                    "-p",
                    str(server.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "fsync=off",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a terminal's Ctrl-C is psql's, not the server's
            )
        _wait_ready(server, process, log)
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: ends sessions, then exits
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _create_database(server: CrmServer) -> None:
    server.psql(f"create database {DATABASE}", database="postgres")
    server.psql(
        f"create role {READER} login password '{server.reader_password}'; "
        f"grant connect on database {DATABASE} to {READER}"
    )


def _new_server() -> CrmServer:
    return CrmServer(free_port(), secrets.token_urlsafe(18), secrets.token_urlsafe(18))


@contextmanager
def crm_server() -> Iterator[CrmServer]:
    """A running, empty PostgreSQL with database `crm`, stopped and deleted on exit."""
    # under /tmp rather than the lakehouse: the server user must reach it, and a test's
    # lakehouse folder sits in a root-only directory
    folder = _owned(Path(tempfile.mkdtemp(prefix="lakehouse-crm-")))
    try:
        server = _new_server()
        _initdb(folder, server.admin_password)
        with _running(folder, server):
            _create_database(server)
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the lakehouse's own CRM ---------------------------------------------------------------


def secret_file(home: Path) -> Path:
    """The ingestion job's login to the lakehouse's CRM (what CMR_CRM_SECRET_FILE names)."""
    return home / "crm" / "secret.json"


def _admin_file(home: Path) -> Path:
    return home / "crm" / "admin.json"


def data_folder(home: Path) -> Path:
    """Under the temp folder, like a throw-away server's (the server's user must reach it),
    one per lakehouse folder."""
    digest = hashlib.md5(str(home.resolve()).encode(), usedforsecurity=False).hexdigest()
    return Path(tempfile.gettempdir()) / f"lakehouse-crm-{digest[:12]}"


def exists(home: Path) -> bool:
    return _admin_file(home).is_file() and (data_folder(home) / "data" / "PG_VERSION").is_file()


def _write_private(path: Path, values: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(values, indent=2) + "\n")


@contextmanager
def lakehouse_crm(home: Path, create: bool = False) -> Iterator[CrmServer]:
    """The lakehouse's CRM, running for the context. `create`: make it first if it does not
    exist (an empty database `crm` with the job's read-only login); else that is a refusal."""
    created = not exists(home)
    if created:
        if not create:
            raise PostgresUnavailable("the local CRM does not exist yet: `make run` creates it")
        remove(home)  # what is left of an earlier one (its data folder went with /tmp)
        server = _new_server()
        folder = data_folder(home)
        folder.mkdir(mode=0o700)
        _initdb(_owned(folder), server.admin_password)
    else:
        admin = json.loads(_admin_file(home).read_text())
        server = CrmServer(admin["port"], admin["password"])
        if listening(server.port):
            raise PostgresUnavailable(
                f"the local CRM's port {server.port} is in use: by another command on this "
                "lakehouse (a `make crm` still open?) or another program; try again when it ends"
            )
    with _running(data_folder(home), server):
        if created:
            _create_database(server)
            _write_private(_admin_file(home), {"port": server.port, "username": ADMIN,
                                               "password": server.admin_password})  # fmt: skip
            _write_private(secret_file(home), server.secret())
        yield server


def remove(home: Path) -> None:
    """Deletes the lakehouse's CRM: its data folder and its logins."""
    shutil.rmtree(data_folder(home), ignore_errors=True)
    shutil.rmtree(home / "crm", ignore_errors=True)


CUSTOMER_DDL = """
drop table if exists public.customer;
create table public.customer (
    c_custkey bigint primary key,
    c_name text not null,
    c_address text,
    c_nationkey bigint not null,
    c_phone text,
    c_acctbal numeric(15, 2) not null,
    c_mktsegment text not null,
    c_comment text,
    c_updated_at timestamptz not null default now()
);
create index customer_updated_at on public.customer (c_updated_at);
"""
CUSTOMER_COLUMNS = (
    "c_custkey, c_name, c_address, c_nationkey, c_phone, c_acctbal, c_mktsegment, c_comment"
)


def load_customers(server: CrmServer, customer_csv: Path, updated_at: str) -> int:
    """(Re)creates public.customer from the generated customer.csv, every row changed at
    `updated_at` (an ISO timestamp, UTC); returns the row count."""
    server.psql(CUSTOMER_DDL)
    server.psql(
        f"copy public.customer ({CUSTOMER_COLUMNS}) from stdin with (format csv, header true)",
        stdin=customer_csv.read_text(),
    )
    server.psql(f"update public.customer set c_updated_at = timestamptz '{updated_at} +00'")
    server.psql(f"grant select on public.customer to {READER}")
    return int(server.psql("select count(*) from public.customer").strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--query", "-c", help="one SQL statement (default: an interactive psql)")
    parser.add_argument("--remove", action="store_true", help="delete the lakehouse's CRM")
    args = parser.parse_args(argv)
    from lakehouse_jobs.paths import lakehouse_dir

    if args.remove:
        remove(lakehouse_dir())
        return 0
    statement = ["-v", "ON_ERROR_STOP=1", "-c", args.query] if args.query else []
    try:
        with lakehouse_crm(lakehouse_dir()) as server:
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # psql's Ctrl-C, not ours
            try:
                psql = [_binary("psql"), "-X", *statement]
                return subprocess.run(psql, env=server.psql_environment(os.environ)).returncode
            finally:
                signal.signal(signal.SIGINT, previous)
    except PostgresUnavailable as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
