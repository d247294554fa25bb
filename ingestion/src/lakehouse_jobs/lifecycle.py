"""A job run's lifecycle: start and end, duration, rows read/written/rejected per table, and
an OpenLineage-shaped lineage event, logged as JSON and appended to the run-log table."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from lakehouse_jobs.logs import RUN_ID, get_logger, log_event

PRODUCER = "https://example.com/commerce-domain/lakehouse_jobs"
RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"
RUN_LOG_COLUMNS = (
    ("run_id", "string"),
    ("job_name", "string"),
    ("batch_id", "string"),
    ("status", "string"),
    ("started_at", "timestamp"),
    ("ended_at", "timestamp"),
    ("duration_seconds", "double"),
    ("table_name", "string"),
    ("source", "string"),
    ("rows_read", "bigint"),
    ("rows_written", "bigint"),
    ("rows_rejected", "bigint"),
    ("watermark", "string"),
    ("error", "string"),
    ("lineage_event", "string"),
)
log = get_logger("lifecycle")


@dataclass
class TableRun:
    table_name: str
    source: str
    source_namespace: str
    rows_read: int
    rows_written: int
    rows_rejected: int
    watermark: str | None = None
    quarantine_table: str | None = None


@dataclass
class JobRun:
    job_name: str
    batch_id: str | None
    config: object
    spark: object = None
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    tables: list[TableRun] = field(default_factory=list)
    status: str = "RUNNING"
    error: str | None = None

    def __enter__(self) -> JobRun:
        self._token = RUN_ID.set(self.run_id)
        self.started_at = datetime.now(UTC)
        self._clock = time.monotonic()
        log_event(log, "job started", job=self.job_name, batch_id=self.batch_id, event="START")
        return self

    def record(self, table: TableRun) -> None:
        self.tables.append(table)
        log_event(log, "table loaded", job=self.job_name, batch_id=self.batch_id, **asdict(table))

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.ended_at = datetime.now(UTC)
        self.duration = round(time.monotonic() - self._clock, 3)
        self.status = "FAILED" if exc else "SUCCEEDED"
        self.error = f"{exc_type.__name__}: {exc}" if exc else None
        event = self.lineage_event()
        log_event(
            log,
            "job failed" if exc else "job finished",
            job=self.job_name,
            batch_id=self.batch_id,
            status=self.status,
            duration_seconds=self.duration,
            error=self.error,
            lineage=event,
        )
        try:
            self._append_run_log(event)
        except Exception as failure:  # the run's own outcome matters more than its log row
            log.error(f"could not append to the run log: {failure}")
        RUN_ID.reset(self._token)
        return False

    def lineage_event(self) -> dict:
        database = self.config.get("RAW_DATABASE")
        outputs = []
        for t in self.tables:
            stats = {"rowCount": t.rows_written}
            outputs.append(
                {
                    "namespace": f"{self.config.domain.name}://{database}",
                    "name": t.table_name,
                    "outputFacets": {"outputStatistics": stats},
                }
            )
            if t.quarantine_table:
                outputs.append(
                    {
                        "namespace": f"{self.config.domain.name}://{database}",
                        "name": t.quarantine_table,
                        "outputFacets": {"outputStatistics": {"rowCount": t.rows_rejected}},
                    }
                )
        return {
            "eventType": "COMPLETE" if self.status == "SUCCEEDED" else "FAIL",
            "eventTime": self.ended_at.isoformat(),
            "producer": PRODUCER,
            "schemaURL": RUN_EVENT_SCHEMA,
            "run": {
                "runId": self.run_id,
                "facets": {
                    "batch": {"batchId": self.batch_id},
                    **({"errorMessage": {"message": self.error}} if self.error else {}),
                },
            },
            "job": {"namespace": self.config.domain.abbreviation, "name": self.job_name},
            "inputs": [{"namespace": t.source_namespace, "name": t.source} for t in self.tables],
            "outputs": outputs,
        }

    def log_rows(self, event: dict) -> list[tuple]:
        common = dict(
            run_id=self.run_id,
            job_name=self.job_name,
            batch_id=self.batch_id,
            status=self.status,
            started_at=self.started_at.replace(tzinfo=None),
            ended_at=self.ended_at.replace(tzinfo=None),
            duration_seconds=float(self.duration),
            error=self.error,
            lineage_event=json.dumps(event),
        )
        per_table = [asdict(t) for t in self.tables] or [{}]
        rows = []
        for table in per_table:
            row = {**common, **{k: table.get(k) for k in ("table_name", "source", "watermark")}}
            for k in ("rows_read", "rows_written", "rows_rejected"):
                row[k] = table.get(k)
            rows.append(tuple(row[name] for name, _ in RUN_LOG_COLUMNS))
        return rows

    def _append_run_log(self, event: dict) -> None:
        if self.spark is None:
            return
        table = ensure_run_log(self.spark, self.config)
        schema = ", ".join(f"`{n}` {t}" for n, t in RUN_LOG_COLUMNS)
        self.spark.createDataFrame(self.log_rows(event), schema).write.insertInto(table)


def ensure_run_log(spark, config) -> str:
    table = config.get("RUN_LOG_TABLE")
    database = table.split(".")[0]
    root = config.get("RAW_ROOT").rstrip("/")
    spark.sql(f"create database if not exists {database} location '{root}'")
    columns = ", ".join(f"`{n}` {t}" for n, t in RUN_LOG_COLUMNS)
    # <project>___ingestion_runs lives in <raw root>/<project>/_ingestion_runs, like the
    # project's raw tables (<raw root>/<project>/<project>__<entity>)
    folder = table.split(".")[-1].replace("__", "/", 1)
    spark.sql(
        f"create table if not exists {table} ({columns}) using parquet location '{root}/{folder}'"
    )
    return table
