"""The HTTP side: AWS JSON 1.1 (Glue), REST-JSON (Lake Formation) and query (STS) requests
to one endpoint on 127.0.0.1, dispatched by the service named in the request's signature."""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from lakehouse.glue_local import errors
from lakehouse.glue_local.catalog import Catalog
from lakehouse.glue_local.enforcement import Enforcement
from lakehouse.glue_local.jobs import Jobs
from lakehouse.glue_local.resources import ACCOUNT_ID
from lakehouse.glue_local.sessions import GLUE_CATALOG_CONF, Sessions

log = logging.getLogger("glue_local")

__all__ = ["GLUE_CATALOG_CONF", "GlueEmulator", "start_server"]

SIGNED_SERVICE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")
ACCESS_KEY = re.compile(r"Credential=([^/]+)/")
SESSION_OPERATIONS = [
    "CreateSession",
    "GetSession",
    "ListSessions",
    "StopSession",
    "DeleteSession",
    "RunStatement",
    "GetStatement",
    "ListStatements",
    "CancelStatement",
]
CATALOG_OPERATIONS = [
    "GetDatabases",
    "GetDatabase",
    "CreateDatabase",
    "DeleteDatabase",
    "GetTables",
    "GetTable",
    "UpdateTable",
    "DeleteTable",
]
JOB_OPERATIONS = ["CreateJob", "GetJob", "DeleteJob", "StartJobRun", "GetJobRun", "GetJobRuns"]


class GlueEmulator:
    """The operations, independent of HTTP: `call(service, operation, request) -> answer`."""

    def __init__(
        self,
        spark,
        account_id: str = ACCOUNT_ID,
        wait_seconds: float = 5.0,
        enforcement: Enforcement | None = None,
    ) -> None:
        self.account_id = account_id
        self.enforcement = enforcement or Enforcement.off()
        self.sessions = Sessions(spark, wait_seconds, self.enforcement)
        self.catalog = Catalog(spark, account_id)
        self.jobs = Jobs()
        self.grants: list[dict] = []  # recorded, never enforced
        self.calls: Counter[str] = Counter()
        self.glue = {
            **{op: getattr(self.sessions, op) for op in SESSION_OPERATIONS},
            **{op: getattr(self.catalog, op) for op in CATALOG_OPERATIONS},
            **{op: getattr(self.jobs, op) for op in JOB_OPERATIONS},
        }

    def call(
        self, service: str, operation: str, request: dict, access_key: str | None = None
    ) -> dict:
        """One API call; with IAM enforced (an --iam file), as the principal `access_key`
        names, and refused as AWS refuses it."""
        self.calls[f"{service}:{operation}"] += 1
        caller = self.enforcement.caller(access_key)
        known = (service == "glue" and operation in self.glue) or (service, operation) in (
            ("lakeformation", "BatchGrantPermissions"),
            ("sts", "GetCallerIdentity"),
        )
        if not known:
            raise errors.not_emulated(service, operation)
        self.enforcement.check_call(caller, operation, request)
        if service == "glue":
            return self.glue[operation](request)
        if service == "lakeformation":
            self.grants.extend(request.get("Entries", []))
            return {"Failures": []}
        return {
            "Account": self.account_id,
            "Arn": caller.caller_arn
            if caller
            else f"arn:aws:iam::{self.account_id}:user/glue-local",
            "UserId": "AIDAGLUELOCAL",
        }

    def close(self) -> None:
        self.sessions.stop_all()
        self.jobs.stop()


def _sts_xml(operation: str, answer: dict) -> str:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in answer.items())
    return (
        f'<{operation}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<{operation}Result>{fields}</{operation}Result>"
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        f"</{operation}Response>"
    )


def _sts_error(error: errors.AwsError) -> str:
    return (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{error.code}</Code>"
        f"<Message>{error.message}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )


class Handler(BaseHTTPRequestHandler):
    emulator: GlueEmulator  # set on the subclass made by start_server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        service = self._service(body)
        if service == "sts":
            self._query(body)
            return
        target = self.headers.get("X-Amz-Target", "")
        operation = target.split(".")[-1] if target else self.path.strip("/").split("/")[0]
        try:
            request = json.loads(body or "{}")
            answer = self.emulator.call(service, operation, request, self._access_key())
            self._send(200, json.dumps(answer, default=str), "application/x-amz-json-1.1")
        except errors.AwsError as error:
            self._json_error(error)
        except Exception as error:
            log.exception("%s:%s failed", service, operation)
            self._json_error(errors.AwsError("InternalServiceException", str(error), 500))

    def _service(self, body: str) -> str:
        signed = SIGNED_SERVICE.search(self.headers.get("Authorization", ""))
        if signed:
            return signed.group(1)
        if self.headers.get("X-Amz-Target", "").startswith("AWSGlue."):
            return "glue"
        return "sts" if body.startswith("Action=") else "lakeformation"

    def _access_key(self) -> str | None:
        signed = ACCESS_KEY.search(self.headers.get("Authorization", ""))
        return signed.group(1) if signed else None

    def _query(self, body: str) -> None:
        operation = parse_qs(body).get("Action", [""])[0]
        try:
            answer = self.emulator.call("sts", operation, {}, self._access_key())
            self._send(200, _sts_xml(operation, answer), "text/xml")
        except errors.AwsError as error:
            self._send(error.status, _sts_error(error), "text/xml")

    def _json_error(self, error: errors.AwsError) -> None:
        payload = json.dumps({"__type": error.code, "Message": error.message})
        self._send(
            error.status, payload, "application/x-amz-json-1.1", {"x-amzn-ErrorType": error.code}
        )

    def _send(
        self, status: int, payload: str, content_type: str, headers: dict | None = None
    ) -> None:
        data = payload.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


def start_server(emulator: GlueEmulator, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serves `emulator` on 127.0.0.1 from a background thread; returns the server and its URL.
    Stop it with `server.shutdown(); server.server_close(); emulator.close()`."""
    handler = type("BoundHandler", (Handler,), {"emulator": emulator})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="glue-local-http", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
