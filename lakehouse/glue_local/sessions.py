"""Glue interactive sessions: one Spark session (`newSession()` of the server's) and one Python
namespace per Glue session; statements run one at a time, in order, on the session's thread."""

from __future__ import annotations

import logging
import queue
import shlex
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lakehouse.glue_local import errors
from lakehouse.glue_local.enforcement import Enforcement
from lakehouse.glue_local.execution import Outcome, new_namespace, run_code

log = logging.getLogger("glue_local")

# Spark settings that can only be fixed when the JVM starts, or that would point the catalogs
# away from the local metastore: a session's --conf cannot change them here (see the docs).
FIXED_CONF_PREFIXES = ("spark.sql.catalog.", "spark.sql.extensions", "spark.jars", "spark.driver.")

# The Spark catalog that dbt-glue's `custom_iceberg_catalog_namespace` (glue_catalog) names:
# Iceberg's catalog on the same local metastore as spark_catalog. Two catalog objects then see
# one table: without their table caches, a write through one is seen at once by the other.
GLUE_CATALOG_CONF = {
    "spark.sql.catalog.glue_catalog": "org.apache.iceberg.spark.SparkCatalog",
    "spark.sql.catalog.glue_catalog.type": "hive",
    "spark.sql.catalog.glue_catalog.cache-enabled": "false",
    "spark.sql.catalog.spark_catalog.cache-enabled": "false",
}


def _millis() -> int:
    return int(time.time() * 1000)


def parse_conf(conf: str) -> dict[str, str]:
    """`a=1 --conf b=2` (the --conf default argument of a session) into {a: 1, b: 2}."""
    settings: dict[str, str] = {}
    for word in shlex.split(conf or ""):
        if word == "--conf" or "=" not in word:
            continue
        key, value = word.split("=", 1)
        settings[key.strip()] = value.strip()
    return settings


@dataclass
class Statement:
    id: int
    code: str
    state: str = "WAITING"
    output: dict | None = None
    started_on: int = 0
    completed_on: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def describe(self) -> dict:
        answer = {"Id": self.id, "Code": self.code, "State": self.state, "Progress": 0.0}
        if self.output is not None:
            answer.update(Output=self.output, Progress=1.0)
        if self.started_on:
            answer["StartedOn"] = self.started_on
        if self.completed_on:
            answer["CompletedOn"] = self.completed_on
        return answer


class Session:
    def __init__(self, session_id: str, request: dict, spark, enforcement: Enforcement) -> None:
        self.id = session_id
        self.request = request
        self.enforcement = enforcement
        self.created_on = datetime.now(UTC)
        self.status = "PROVISIONING"
        self.statements: list[Statement] = []
        self.spark = spark.newSession()
        for key, value in GLUE_CATALOG_CONF.items():  # before the session's first catalog use
            self.spark.conf.set(key, value)
        self.ignored_conf = self._apply_conf(request.get("DefaultArguments", {}).get("--conf", ""))
        self.namespace = new_namespace(spark=self.spark, sc=self.spark.sparkContext)
        self.started = False
        self.refused_start: str | None = None
        self.queue: queue.Queue[Statement | None] = queue.Queue()
        self.worker = threading.Thread(target=self._work, name=f"session-{session_id}", daemon=True)
        self.worker.start()
        self.status = "READY"  # Spark is already up: provisioning is instant

    def _apply_conf(self, conf: str) -> list[str]:
        ignored = []
        for key, value in parse_conf(conf).items():
            if key.startswith(FIXED_CONF_PREFIXES) or not key.startswith("spark.sql."):
                ignored.append(key)
                continue
            self.spark.conf.set(key, value)
        if ignored:
            log.info(
                "session %s: --conf keys fixed by glue-local, not applied: %s", self.id, ignored
            )
        return ignored

    def describe(self) -> dict:
        answer = {
            "Id": self.id,
            "CreatedOn": self.created_on.timestamp(),
            "Status": self.status,
            "Role": self.request.get("Role", ""),
            "Command": self.request.get("Command", {}),
            "DefaultArguments": self.request.get("DefaultArguments", {}),
            "Progress": 100.0,
        }
        for key in ("GlueVersion", "NumberOfWorkers", "WorkerType", "IdleTimeout"):
            if key in self.request:
                answer[key] = self.request[key]
        return answer

    def run(self, code: str) -> int:
        if self.status != "READY":
            raise errors.AwsError(
                "IllegalSessionStateException", f"Session {self.id} is {self.status}, not READY"
            )
        statement = Statement(id=len(self.statements), code=code)
        self.statements.append(statement)
        self.queue.put(statement)
        return statement.id

    def statement(self, statement_id: int) -> Statement:
        if not 0 <= statement_id < len(self.statements):
            raise errors.not_found(f"Statement {statement_id} of session {self.id}")
        return self.statements[statement_id]

    def cancel(self, statement_id: int) -> None:
        statement = self.statement(statement_id)
        if statement.state == "WAITING":
            statement.state = "CANCELLED"
            statement.done.set()
        elif statement.state == "RUNNING":
            statement.state = "CANCELLING"
            self.spark.sparkContext.cancelJobGroup(self._job_group(statement))

    def stop(self) -> None:
        self.status = "STOPPED"
        self.queue.put(None)

    def _job_group(self, statement: Statement) -> str:
        return f"glue-local-{self.id}-{statement.id}"

    def _run(self, code: str) -> Outcome:
        """A statement as the session's role; the first also needs what Spark's catalog
        client does when a session starts (look up the `default` database)."""
        role = self.enforcement.role(self.request["Role"])  # None: nothing enforced
        if not self.started:
            self.started = True
            self.refused_start = self.enforcement.session_start(role)
        if self.refused_start:
            message = f"Unable to verify existence of default database: {self.refused_start}"
            return Outcome(False, "", "AccessDeniedException", message)
        with self.enforcement.acting_as(role):
            return run_code(code, self.namespace)

    def _work(self) -> None:
        while (statement := self.queue.get()) is not None:
            if statement.state == "CANCELLED":
                continue
            statement.state = "RUNNING"
            statement.started_on = _millis()
            self.spark.sparkContext.setJobGroup(self._job_group(statement), statement.code[:80])
            outcome = self._run(statement.code)
            statement.completed_on = _millis()
            output: dict = {
                "ExecutionCount": statement.id,
                "Status": "ok" if outcome.ok else "error",
            }
            if outcome.ok:
                output["Data"] = {"TextPlain": outcome.text}
            else:
                output.update(
                    ErrorName=outcome.error_name,
                    ErrorValue=outcome.error_value,
                    Traceback=outcome.traceback,
                )
            statement.output = output
            statement.state = "CANCELLED" if statement.state == "CANCELLING" else "AVAILABLE"
            statement.done.set()


class Sessions:
    """The interactive-sessions API. `wait_seconds`: how long GetStatement waits for a running
    statement before answering, so that a client's first poll usually sees it finished."""

    def __init__(self, spark, wait_seconds: float = 5.0, enforcement: Enforcement | None = None):
        self.spark = spark
        self.wait_seconds = wait_seconds
        self.enforcement = enforcement or Enforcement.off()
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()

    def _session(self, session_id: str) -> Session:
        session = self.sessions.get(session_id)
        if session is None:
            raise errors.not_found(f"Session {session_id}")
        return session

    def CreateSession(self, request: dict) -> dict:
        session_id = request.get("Id") or ""
        if not session_id or "Role" not in request or "Command" not in request:
            raise errors.invalid_input("CreateSession needs Id, Role and Command")
        with self.lock:
            if session_id in self.sessions:
                raise errors.already_exists(f"Session {session_id}")
            session = Session(session_id, request, self.spark, self.enforcement)
            self.sessions[session_id] = session
        answer = session.describe()
        answer["Status"] = "PROVISIONING"  # what Glue answers; GetSession then says READY
        return {"Session": answer}

    def GetSession(self, request: dict) -> dict:
        return {"Session": self._session(request["Id"]).describe()}

    def ListSessions(self, request: dict) -> dict:
        sessions = list(self.sessions.values())
        return {"Ids": [s.id for s in sessions], "Sessions": [s.describe() for s in sessions]}

    def StopSession(self, request: dict) -> dict:
        session = self._session(request["Id"])
        session.stop()
        return {"Id": session.id}

    def DeleteSession(self, request: dict) -> dict:
        with self.lock:
            session = self._session(request["Id"])
            session.stop()
            del self.sessions[session.id]
        return {"Id": session.id}

    def RunStatement(self, request: dict) -> dict:
        return {"Id": self._session(request["SessionId"]).run(request["Code"])}

    def GetStatement(self, request: dict) -> dict:
        statement = self._session(request["SessionId"]).statement(int(request["Id"]))
        statement.done.wait(self.wait_seconds)
        return {"Statement": statement.describe()}

    def ListStatements(self, request: dict) -> dict:
        session = self._session(request["SessionId"])
        return {"Statements": [s.describe() for s in session.statements]}

    def CancelStatement(self, request: dict) -> dict:
        self._session(request["SessionId"]).cancel(int(request["Id"]))
        return {}

    def stop_all(self) -> None:
        for session in list(self.sessions.values()):
            session.stop()
