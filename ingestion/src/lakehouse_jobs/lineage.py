"""OpenLineage events of the ingestion jobs and the dbt builds: where they go, and what every
event must hold before it is sent (docs/lineage.md).

Where, in the order a run looks:
- `OPENLINEAGE_CONFIG`: an `openlineage.yml` whose `transport` is any the client knows
  (http, file, console, kafka, composite, ...);
- `OPENLINEAGE_URL` (+ `OPENLINEAGE_ENDPOINT`, default `api/v1/lineage`, and
  `OPENLINEAGE_API_KEY`): HTTP to a Marquez- or DataHub-compatible endpoint;
- neither: the job's log on AWS (the console transport).
Locally every event also goes to the lakehouse's JSON-lines file (`events_file`), which the
table `<raw database>.lineage_events` reads. `OPENLINEAGE_DISABLED=true` sends nothing.

A transport that fails is logged in one line and never fails the run.

Standard library and openlineage-python only: the dbt bundle ships this module beside the gate.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from lakehouse_jobs.logs import StderrHandler, get_logger

PRODUCER = "https://example.com/commerce-domain/lakehouse"
SETTINGS = (
    "OPENLINEAGE_CONFIG",
    "OPENLINEAGE_URL",
    "OPENLINEAGE_ENDPOINT",
    "OPENLINEAGE_API_KEY",
    "OPENLINEAGE_DISABLED",
)
EVENT_TYPES = ("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER")
log = get_logger("lineage")


def transports(settings: Mapping[str, str | None], events_file: Path | None) -> list[dict]:
    """The transports' configurations (openlineage-python's `transport` mappings)."""
    if str(settings.get("OPENLINEAGE_DISABLED") or "").strip().lower() == "true":
        return []
    found = []
    if settings.get("OPENLINEAGE_CONFIG"):
        found.append(_configured(Path(settings["OPENLINEAGE_CONFIG"])))
    elif settings.get("OPENLINEAGE_URL"):
        http = {
            "type": "http",
            "url": settings["OPENLINEAGE_URL"],
            "endpoint": settings.get("OPENLINEAGE_ENDPOINT") or "api/v1/lineage",
        }
        if settings.get("OPENLINEAGE_API_KEY"):
            http["auth"] = {"type": "api_key", "apiKey": settings["OPENLINEAGE_API_KEY"]}
        found.append(http)
    if events_file is not None:  # a local run: the lakehouse keeps every event
        found.append({"type": "file", "log_file_path": str(events_file), "append": True})
    return found or [{"type": "console"}]


def _configured(path: Path) -> dict:
    import yaml

    if not path.is_file():
        raise ValueError(f"OPENLINEAGE_CONFIG names {path}, which is not a file")
    transport = (yaml.safe_load(path.read_text()) or {}).get("transport")
    if not isinstance(transport, dict) or "type" not in transport:
        raise ValueError(f"{path}: expected a `transport:` mapping with a `type`")
    return transport


def table_namespace(domain: str, table: str) -> str:
    """A table's dataset namespace, the same for the job that writes it and the one that reads
    it: `<domain>://<database>` (the dataset's name is the table's, `<database>.<table>`)."""
    return f"{domain}://{table.split('.')[0]}"


def local_events_file() -> Path:
    """Where a local run keeps its events: the lakehouse's lineage/events.jsonl."""
    from lakehouse_jobs.paths import lakehouse_dir

    return lakehouse_dir() / "lineage" / "events.jsonl"


class Emitter:
    """Sends events through every configured transport; a failure is logged, never raised."""

    def __init__(self, settings: Mapping[str, str | None], events_file: Path | None) -> None:
        self.settings, self.events_file = settings, events_file
        self._transports: list | None = None

    def transports(self) -> list:
        if self._transports is None:
            from openlineage.client.transport import get_default_factory

            configs = transports(self.settings, self.events_file)
            if self.events_file is not None:
                self.events_file.parent.mkdir(parents=True, exist_ok=True)
            if any(c["type"] == "console" for c in configs):
                _show_console_events()
            self._transports = [get_default_factory().create(c) for c in configs]
        return self._transports

    def emit(self, event) -> bool:
        """True when every transport took the event."""
        from openlineage.client.serde import Serde

        name = f"{event.job.name} {event.eventType.value}"
        try:
            wrong = problems(Serde.to_dict(event))
            if wrong:
                raise ValueError(f"not a valid OpenLineage RunEvent: {'; '.join(wrong)}")
            chosen = self.transports()
        except Exception as failure:  # lineage never fails a run
            log.error(f"lineage event {name} not sent: {failure}")
            return False
        sent = True
        for transport in chosen:
            try:
                transport.emit(event)
            except Exception as failure:
                log.error(f"lineage event {name} not sent through {transport.kind}: {failure}")
                sent = False
        return sent


def _show_console_events() -> None:
    """The console transport logs each event at INFO; Glue's Python logging shows only warnings."""
    console = logging.getLogger("openlineage.client.transport.console")
    if not console.handlers:
        console.addHandler(StderrHandler())
    console.setLevel(logging.INFO)


def problems(event: dict) -> list[str]:
    """What a serialised RunEvent lacks of what the OpenLineage spec (2-0-2, OpenLineage.json)
    requires: event type, time, producer and schema URL, a UUID run id, the job's namespace and
    name, each dataset's namespace and name, each facet's _producer and _schemaURL."""
    found = []
    if event.get("eventType") not in EVENT_TYPES:
        found.append(f"eventType {event.get('eventType')!r} is none of {', '.join(EVENT_TYPES)}")
    if not _is_date_time(event.get("eventTime")):
        found.append(f"eventTime {event.get('eventTime')!r} is not a date-time with an offset")
    for key in ("producer", "schemaURL"):
        if not _is_uri(event.get(key)):
            found.append(f"{key} {event.get(key)!r} is not a URI")
    run, job = event.get("run") or {}, event.get("job") or {}
    if not _is_uuid(run.get("runId")):
        found.append(f"run.runId {run.get('runId')!r} is not a UUID")
    found += _facet_problems("run.facets", run.get("facets"))
    found += _named("job", job) + _facet_problems("job.facets", job.get("facets"))
    for side in ("inputs", "outputs"):
        for i, dataset in enumerate(event.get(side) or []):
            where = f"{side}[{i}]"
            found += _named(where, dataset)
            for facets in ("facets", "inputFacets", "outputFacets"):
                found += _facet_problems(f"{where}.{facets}", dataset.get(facets))
    return found


def _named(where: str, item: dict) -> list[str]:
    return [
        f"{where}.{key} is missing or empty"
        for key in ("namespace", "name")
        if not isinstance(item.get(key), str) or not item[key]
    ]


def _facet_problems(where: str, facets: dict | None) -> list[str]:
    return [
        f"{where}.{name}.{key} is not a URI"
        for name, facet in (facets or {}).items()
        for key in ("_producer", "_schemaURL")
        if not _is_uri(facet.get(key))
    ]


def _is_uri(value) -> bool:
    return isinstance(value, str) and bool(urlparse(value).scheme)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _is_date_time(value) -> bool:
    if not isinstance(value, str) or "T" not in value.upper():
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False
