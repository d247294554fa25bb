"""IAM enforcement in glue-local: every call and every statement as the principal AWS would
check, against that principal's policies (lakehouse.glue_local.principals, .iam).

- An API call (GetTable, CreateDatabase, CreateSession, RunStatement, ...) is checked against
  the CALLER's policies: the principal its access key id names. CreateSession also needs
  iam:PassRole on the session's role (with iam:PassedToService = glue.amazonaws.com), and that
  role must trust glue.amazonaws.com.
- A statement runs AS THE SESSION'S ROLE: every `spark.sql`, `spark.table`, DataFrameReader
  and DataFrameWriter call it makes is checked before it runs (lakehouse.glue_local.access
  says what each needs), and so is the `default` database Spark's catalog client looks up
  before a session's first statement.

A refusal is AWS's: `AccessDeniedException: User: <caller> is not authorized to perform:
<action> on resource: <arn> because no identity-based policy allows the <action> action`. An
API call answers it as an error; a statement fails with it, so dbt reports it on the node.

Without principals (no `--iam` file) everything is allowed, as before.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from lakehouse.glue_local import errors
from lakehouse.glue_local.access import PlanAccess
from lakehouse.glue_local.iam import Request, decide
from lakehouse.glue_local.principals import Principal, Principals
from lakehouse.glue_local.resources import (
    ACCOUNT_ID,
    REGION,
    Resources,
    TableRef,
    database_requests,
    read_requests,
    write_requests,
)

GLUE = "glue.amazonaws.com"


class AccessDeniedException(Exception):
    """A statement's refusal: its class name is the statement's ErrorName."""


def denial(principal: Principal, request: Request, reason: str) -> str:
    return (
        f"User: {principal.caller_arn} is not authorized to perform: {request.action} on "
        f"resource: {request.resource} {reason}"
    )


class Enforcement:
    """`principals`: the principals, or the --iam file they are read from (read again when
    it changes, so a test can take a grant away from a running server)."""

    def __init__(self, principals: Principals | Path | None, resources: Resources) -> None:
        self._source = principals if isinstance(principals, Path) else None
        self._loaded: tuple[float, Principals] | None = None
        self._fixed = None if isinstance(principals, Path) else principals
        self.resources = resources
        self.denied: list[str] = []  # every refusal, for the server's log and the tests

    @property
    def principals(self) -> Principals | None:
        if self._source is None:
            return self._fixed
        changed = self._source.stat().st_mtime
        if self._loaded is None or self._loaded[0] != changed:
            self._loaded = (changed, Principals.read(self._source))
        return self._loaded[1]

    def role(self, arn: str) -> Principal | None:
        """The principal a session runs as (looked up at each statement: policies may
        change while the session lives)."""
        return self.principals.role(arn) if self.enabled else None

    @classmethod
    def off(cls) -> Enforcement:
        """Nothing enforced: every call and statement allowed (glue-local without --iam)."""
        return cls(None, Resources(ACCOUNT_ID, REGION, Path()))

    @property
    def enabled(self) -> bool:
        return self._source is not None or self._fixed is not None

    # -- decisions ---------------------------------------------------------------------
    def first_denial(self, principal: Principal, requests: Iterable[Request]) -> str | None:
        for request in dict.fromkeys(requests):
            decision = decide(principal.policies, request)
            if not decision.allowed:
                message = denial(principal, request, decision.reason)
                self.denied.append(message)
                return message
        return None

    def caller(self, access_key: str | None) -> Principal | None:
        """The principal of an API call; None when nothing is enforced."""
        if not self.enabled:
            return None
        principal = self.principals.get(access_key or "")
        if principal is None:
            raise errors.AwsError(
                "UnrecognizedClientException",
                f"The security token included in the request is invalid (access key "
                f"{access_key!r} names no principal of glue-local's --iam file)",
            )
        return principal

    def check_call(self, principal: Principal | None, operation: str, request: dict) -> None:
        """Raises AccessDeniedException (as an AWS error) when the caller may not do it."""
        if principal is None:
            return
        message = self.first_denial(principal, self.call_requests(operation, request))
        if message:
            raise errors.AwsError("AccessDeniedException", message)
        if operation == "CreateSession":
            role = self.principals.role(request.get("Role", ""))
            if role is None or not role.trusts(GLUE):
                raise errors.invalid_input(
                    f"Role {request.get('Role')} is not a role glue.amazonaws.com may assume"
                )

    def call_requests(self, operation: str, request: dict) -> list[Request]:
        """What an API call needs, by AWS's resource-level rules for Glue (the resource and
        all its ancestors; listing and deleting also its children)."""
        r = self.resources
        if operation == "GetDatabases":
            return [Request("glue:GetDatabases", r.catalog())]
        if operation in ("GetDatabase", "DeleteDatabase"):
            return database_requests(r, f"glue:{operation}", request.get("Name"))
        if operation == "CreateDatabase":
            name = (request.get("DatabaseInput") or {}).get("Name")
            return database_requests(r, "glue:CreateDatabase", name)
        if operation == "GetTables":
            return database_requests(r, "glue:GetTables", request.get("DatabaseName"))
        if operation in ("GetTable", "DeleteTable", "UpdateTable"):
            name = request.get("Name") or (request.get("TableInput") or {}).get("Name")
            arns = r.catalog_path(request.get("DatabaseName"), name)
            return [Request(f"glue:{operation}", arn) for arn in arns]
        if operation == "CreateSession":
            needs = [
                Request("glue:CreateSession", r.session(request.get("Id", ""))),
                Request("iam:PassRole", request.get("Role", ""), {"iam:PassedToService": GLUE}),
            ]
            if request.get("Tags"):
                needs.append(Request("glue:TagResource", r.session(request.get("Id", ""))))
            return needs
        if operation == "ListSessions":
            return [Request("glue:ListSessions", "*")]
        if operation in ("GetSession", "StopSession", "DeleteSession"):
            return [Request(f"glue:{operation}", r.session(request.get("Id", "")))]
        if operation in ("RunStatement", "GetStatement", "ListStatements", "CancelStatement"):
            return [Request(f"glue:{operation}", r.session(request.get("SessionId", "")))]
        if operation == "BatchGrantPermissions":
            return [Request("lakeformation:BatchGrantPermissions", "*")]
        if operation == "GetCallerIdentity":
            return []  # AWS answers it for every caller
        job = request.get("JobName") or request.get("Name") or "*"
        arn = f"arn:aws:glue:{r.region}:{r.account_id}:job/{job}"
        return [Request(f"glue:{operation}", arn)]

    # -- statements --------------------------------------------------------------------
    @contextlib.contextmanager
    def acting_as(self, role: Principal | None) -> Iterator[None]:
        """Runs the block's Spark calls (on this thread) as `role`."""
        if role is None:
            yield
            return
        install_hooks()
        previous = getattr(_acting, "guard", None)
        _acting.guard = (self, role)
        try:
            yield
        finally:
            _acting.guard = previous

    def session_start(self, role: Principal | None) -> str | None:
        """What Spark's catalog client does before a session's first statement: look up the
        `default` database. A refusal, as a message, or None."""
        if role is None:
            return None
        return self.first_denial(
            role, database_requests(self.resources, "glue:GetDatabase", "default")
        )


# -- hooks into pyspark: each checks the acting role, then calls the original ----------------
_acting = threading.local()
_installed = threading.Lock()
_originals: dict[str, object] = {}


def _guard() -> tuple[Enforcement, Principal] | None:
    return getattr(_acting, "guard", None)


def _require(requests: Iterable[Request]) -> None:
    guard = _guard()
    if guard is None:
        return
    enforcement, role = guard
    message = enforcement.first_denial(role, requests)
    if message:
        raise AccessDeniedException(message)


def _plan_requests(spark, sql: str) -> list[Request]:
    enforcement, _ = _guard()
    return PlanAccess(spark, enforcement.resources).of_sql(sql)


def _named_table(name: str) -> TableRef:
    parts = name.replace("`", "").split(".")
    database, table = (parts[-2], parts[-1]) if len(parts) > 1 else ("default", parts[-1])
    return TableRef(database, table)


def _existing(spark, name: str) -> TableRef | None:
    """A table named in a DataFrame call, as the catalog has it, or None when it is new."""
    enforcement, _ = _guard()
    return PlanAccess(spark, enforcement.resources).existing(_named_table(name))


def _paths(paths) -> list[str]:
    if paths is None:
        return []
    return [paths] if isinstance(paths, str) else [str(p) for p in paths]


def install_hooks() -> None:
    """Wraps the pyspark entry points statements use (once per process)."""
    with _installed:
        if _originals:
            return
        from pyspark.sql import DataFrameReader, DataFrameWriter, DataFrameWriterV2, SparkSession

        def wrap(owner, name, check):
            original = getattr(owner, name)
            _originals[f"{owner.__name__}.{name}"] = original

            def checked(self, *args, **kwargs):
                if _guard() is not None:
                    _require(check(self, *args, **kwargs))
                return original(self, *args, **kwargs)

            checked.__doc__ = original.__doc__
            setattr(owner, name, checked)

        def reads(self, *args, **kwargs):
            paths = kwargs.get("path") or (args[0] if args else None)
            r = _guard()[0].resources
            return [Request("s3:GetObject", r.objects(p)) for p in _paths(paths)]

        def writes(self, *args, **kwargs):
            path = kwargs.get("path") or (args[0] if args else None)
            path = path or getattr(self, "_glue_local_path", None)  # .option("path", ...)
            r = _guard()[0].resources
            return [Request("s3:PutObject", r.objects(p)) for p in _paths(path)]

        def table_write(self, name, *args, **kwargs):
            spark = self._spark
            existing = _existing(spark, name)
            table = existing or _named_table(name)
            if table.location is None:
                location = kwargs.get("path") or getattr(self, "_glue_local_path", None)
                table = TableRef(table.database, table.name, location, table.kind)
            action = "glue:UpdateTable" if existing is not None else "glue:CreateTable"
            return write_requests(_guard()[0].resources, table, action)

        def remember_path(self, key, value):
            if str(key).lower() == "path":
                self._glue_local_path = str(value)
            return []

        def table_read(self, name, *args, **kwargs):
            spark = self if isinstance(self, SparkSession) else self._spark
            table = _existing(spark, name) or _named_table(name)
            return read_requests(_guard()[0].resources, table)

        wrap(SparkSession, "sql", lambda self, query, *a, **k: _plan_requests(self, query))
        wrap(SparkSession, "table", table_read)
        wrap(DataFrameReader, "table", table_read)
        for name in ("load", "parquet", "orc", "json", "csv", "text"):
            wrap(DataFrameReader, name, reads)
        wrap(DataFrameWriter, "option", remember_path)
        wrap(DataFrameWriter, "insertInto", table_write)
        wrap(DataFrameWriter, "saveAsTable", table_write)
        for name in ("save", "parquet", "orc", "json", "csv", "text"):
            wrap(DataFrameWriter, name, writes)

        def v2_refused(self, *args, **kwargs):
            raise AccessDeniedException(
                "glue-local does not check DataFrameWriterV2 (df.writeTo): write with SQL or "
                "DataFrameWriter (df.write), which it checks (docs/glue-local.md)"
            )

        for name in ("append", "overwrite", "overwritePartitions", "create", "replace",
                     "createOrReplace"):  # fmt: skip
            wrap(DataFrameWriterV2, name, v2_refused)
