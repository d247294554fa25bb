"""The customers project's CRM: a real PostgreSQL server on 127.0.0.1, for the local lakehouse.

`crm_server()` starts one on a free port with a fresh data folder, yields its connection
settings and always stops it (and removes the folder). The server is a child of this process
that receives SIGINT if this process dies, even by SIGKILL: no stray postgres, ever.
PostgreSQL refuses to run as root, so as root it runs as an unprivileged user (`nobody`).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = os.environ.get("LAKEHOUSE_PG_USER", "nobody")  # used only when running as root
ADMIN = "crm_admin"
READER = "crm_ingestion"  # what the ingestion job logs in as: read-only
DATABASE = "crm"
BINARIES = ("initdb", "postgres", "psql")


class PostgresUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class CrmServer:
    port: int
    admin_password: str
    reader_password: str
    host: str = "127.0.0.1"

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{self.host}:{self.port}/{DATABASE}"

    def job_env(self, prefix: str) -> dict[str, str]:
        """The job's credentials, as configuration (environment) rather than code."""
        return {
            f"{prefix}CRM_JDBC_URL": self.jdbc_url,
            f"{prefix}CRM_USER": READER,
            f"{prefix}CRM_PASSWORD": self.reader_password,
        }

    def psql(self, sql: str, stdin: str | None = None, database: str = DATABASE) -> str:
        env = {**os.environ, "PGPASSWORD": self.admin_password, "PGCONNECT_TIMEOUT": "5"}
        done = subprocess.run(
            [
                _binary("psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                ADMIN,
                "-d",
                database,
                "-c",
                sql,
            ],
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


def _owned_temp_dir() -> Path:
    # under /tmp rather than the lakehouse: the server user must reach it, and a test's
    # lakehouse folder sits in a root-only directory
    folder = Path(tempfile.mkdtemp(prefix="lakehouse-crm-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    return folder


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
def crm_server() -> Iterator[CrmServer]:
    """A running, empty PostgreSQL with database `crm`, stopped and deleted on exit."""
    prefix = _run_as()
    home = _owned_temp_dir()
    process = None
    try:
        data, log = home / "data", home / "server.log"
        admin_password, reader_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
        pwfile = home / "pwfile"
        pwfile.write_text(admin_password + "\n")
        if prefix:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        init = subprocess.run(
            [
                *prefix,
                _binary("initdb"),
                "-D",
                str(data),
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
        port = free_port()
        server = CrmServer(port, admin_password, reader_password)
        with open(log, "w") as log_file:
            if prefix:
                os.chown(log, pwd.getpwnam(SERVER_USER).pw_uid, -1)
            # setpriv also sets the parent-death signal: the server stops if we die
            process = subprocess.Popen(
                [
                    *(prefix or ["setpriv"]),
                    "--pdeathsig=SIGINT",
                    _binary("postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "fsync=off",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        _wait_ready(server, process, log)
        server.psql(f"create database {DATABASE}", database="postgres")
        server.psql(
            f"create role {READER} login password '{reader_password}'; "
            f"grant connect on database {DATABASE} to {READER}"
        )
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: ends sessions, then exits
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(home, ignore_errors=True)


CUSTOMER_DDL = """
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
    """Creates public.customer from the generated customer.csv, every row changed at
    `updated_at` (an ISO timestamp, UTC); returns the row count."""
    server.psql(CUSTOMER_DDL)
    server.psql(
        f"copy public.customer ({CUSTOMER_COLUMNS}) from stdin with (format csv, header true)",
        stdin=customer_csv.read_text(),
    )
    server.psql(f"update public.customer set c_updated_at = timestamptz '{updated_at} +00'")
    server.psql(f"grant select on public.customer to {READER}")
    return int(server.psql("select count(*) from public.customer").strip())
