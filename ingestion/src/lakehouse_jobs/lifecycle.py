"""A job run's lifecycle: start and end, duration, rows read/written/rejected per table, logged
as JSON and appended to the run-log table; an OpenLineage START event when it starts and a
COMPLETE or FAIL event when it ends, sent where lakehouse_jobs.lineage says; on AWS the run's
figures are CloudWatch metrics in the domain's namespace too (locally the run-log table holds
them, and nothing calls CloudWatch)."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lakehouse_jobs.lineage import PRODUCER, SETTINGS, Emitter, table_namespace
from lakehouse_jobs.logs import RUN_ID, get_logger, log_event
from lakehouse_jobs.metrics import datum, put

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
# the RunEvent's fields as the events table reads them; facets stay JSON text
LINEAGE_COLUMNS = (
    "eventType string, eventTime string, producer string, schemaURL string, "
    "run struct<runId: string, facets: string>, "
    "job struct<namespace: string, name: string, facets: string>, "
    "inputs array<struct<namespace: string, name: string, facets: string, inputFacets: string>>, "
    "outputs array<struct<namespace: string, name: string, facets: string, outputFacets: string>>"
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
        self.lineage = lineage_emitter(self.config)
        self._send_lineage("START")
        return self

    def record(self, table: TableRun) -> None:
        self.tables.append(table)
        log_event(log, "table loaded", job=self.job_name, batch_id=self.batch_id, **asdict(table))

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.ended_at = datetime.now(UTC)
        self.duration = round(time.monotonic() - self._clock, 3)
        self.status = "FAILED" if exc else "SUCCEEDED"
        self.error = f"{exc_type.__name__}: {exc}" if exc else None
        event = self._send_lineage("FAIL" if exc else "COMPLETE")
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
        try:
            self._put_metrics()
        except Exception as failure:  # ... and more than its metrics
            log.error(f"could not put the run's metrics to CloudWatch: {failure}")
        RUN_ID.reset(self._token)
        return False

    def _send_lineage(self, event_type: str) -> dict | None:
        """Sends the run's event; returns it serialised (None if it could not be built)."""
        try:
            from openlineage.client.serde import Serde

            event = self.lineage_event(event_type)
        except Exception as failure:  # lineage never fails a run
            log.error(f"lineage event {self.job_name} {event_type} not built: {failure}")
            return None
        self.lineage.emit(event)
        return Serde.to_dict(event)

    def lineage_event(self, event_type: str):
        """The run's OpenLineage RunEvent: START with the job alone, then COMPLETE or FAIL with
        the files or tables read and the raw (and quarantine) tables written, with row counts."""
        from openlineage.client.event_v2 import (
            InputDataset,
            Job,
            OutputDataset,
            Run,
            RunEvent,
            RunState,
        )
        from openlineage.client.facet_v2 import (
            error_message_run,
            output_statistics_output_dataset,
            tags_run,
        )

        def output(table: str, rows: int) -> OutputDataset:
            stats = output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(rows)
            namespace = table_namespace(self.config.domain.name, table)
            return OutputDataset(namespace, table, outputFacets={"outputStatistics": stats})

        done = event_type != "START"
        outputs = []
        for t in self.tables if done else []:
            outputs.append(output(t.table_name, t.rows_written))
            if t.quarantine_table:
                outputs.append(output(t.quarantine_table, t.rows_rejected))
        batch = tags_run.TagsRunFacetFields("batch_id", self.batch_id or "", "lakehouse_jobs")
        facets = {"tags": tags_run.TagsRunFacet([batch])}
        if self.error:
            facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(self.error, "python")
        return RunEvent(
            eventType=RunState(event_type),
            eventTime=(self.ended_at if done else self.started_at).isoformat(),
            producer=PRODUCER,
            run=Run(self.run_id, facets=facets),
            job=Job(self.config.domain.abbreviation, self.job_name),
            inputs=[InputDataset(t.source_namespace, t.source) for t in self.tables if done],
            outputs=outputs,
        )

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
            lineage_event=json.dumps(event) if event else None,
        )
        per_table = [asdict(t) for t in self.tables] or [{}]
        rows = []
        for table in per_table:
            row = {**common, **{k: table.get(k) for k in ("table_name", "source", "watermark")}}
            for k in ("rows_read", "rows_written", "rows_rejected"):
                row[k] = table.get(k)
            rows.append(tuple(row[name] for name, _ in RUN_LOG_COLUMNS))
        return rows

    def metric_data(self) -> list[dict]:
        """The run's figures as CloudWatch data. Per job (dimensions Project, Job: the Glue
        job's name, which Glue passes as --JOB_NAME): rows read, written, rejected and their
        reject ratio over every table, DurationSeconds, Failed (1 or 0); per table (Project,
        Job, Table) its rows and reject ratio."""
        job = {
            "Project": self.config.require("PROJECT"),
            "Job": self.config.get("JOB_NAME") or self.job_name,
        }
        at = self.ended_at
        totals = [sum(getattr(t, k) for t in self.tables) for k in _ROW_FIGURES]
        data = [
            *_row_data(job, totals, at),
            datum("DurationSeconds", self.duration, "Seconds", job, at),
            datum("Failed", self.status == "FAILED", "Count", job, at),
        ]
        for t in self.tables:
            figures = [getattr(t, k) for k in _ROW_FIGURES]
            data += _row_data({**job, "Table": t.table_name}, figures, at)
        return data

    def _put_metrics(self) -> None:
        if not self.config.on_aws:
            return
        from lakehouse_jobs.guard import aws_client

        client = aws_client("cloudwatch", self.config)
        put(client, self.config.domain.metric_namespace, self.metric_data())

    def _append_run_log(self, event: dict) -> None:
        if self.spark is None:
            return
        ensure_lineage_table(self.spark, self.config)
        rows = self.log_rows(event)
        root = self.config.get("RAW_ROOT")
        append_log(self.spark, self.config.get("RUN_LOG_TABLE"), root, RUN_LOG_COLUMNS, rows)


_ROW_FIGURES = ("rows_read", "rows_written", "rows_rejected")


def _row_data(dimensions: dict, figures: list[int], at: datetime) -> list[dict]:
    read, written, rejected = figures
    return [
        datum("RowsRead", read, "Count", dimensions, at),
        datum("RowsWritten", written, "Count", dimensions, at),
        datum("RowsRejected", rejected, "Count", dimensions, at),
        datum("RejectRatio", rejected / read if read else 0.0, "None", dimensions, at),
    ]


def lineage_emitter(config) -> Emitter:
    """Where the job's events go: its arguments or CMR_ settings name an endpoint or config file
    (`--OPENLINEAGE_URL`, ...), else the plain OPENLINEAGE_ variables; locally the lakehouse's
    events file too. An API key may come from Secrets Manager (OPENLINEAGE_API_KEY_SECRET)."""
    settings = {key: config.get(key) or os.environ.get(key) for key in SETTINGS}
    secret = config.get("OPENLINEAGE_API_KEY_SECRET")
    if secret and not settings["OPENLINEAGE_API_KEY"]:
        try:
            from lakehouse_jobs.guard import aws_client

            value = aws_client("secretsmanager", config).get_secret_value(SecretId=secret)
            settings["OPENLINEAGE_API_KEY"] = value["SecretString"]
        except Exception as failure:  # lineage never fails a run: it goes without the key
            log.error(f"lineage API key secret {secret} not read: {failure}")
    events_file = config.get("LINEAGE_EVENTS_FILE")
    return Emitter(settings, Path(events_file) if events_file else None)


def ensure_lineage_table(spark, config) -> str | None:
    """Locally, `<raw database>.lineage_events`: a table over the events file, so that `make sql`
    reads every event as it was sent (nested facets as JSON text)."""
    events_file = config.get("LINEAGE_EVENTS_FILE")
    if not events_file:
        return None
    table = f"{config.get('RAW_DATABASE')}.lineage_events"
    folder = Path(events_file).parent
    columns = LINEAGE_COLUMNS
    spark.sql(f"create table if not exists {table} ({columns}) using json location '{folder}'")
    return table


def append_log(spark, table: str, root: str, columns, rows: list[tuple]) -> None:
    """Rows appended to a run log `<database>.<owner>___<what>` (the ingestion jobs' of each
    project, the gate's of the domain), made on first use as Parquet in
    <root>/<owner>/_<what>, beside the owner's raw tables (<root>/<project>/<project>__<entity>),
    in the folder its role may write. Columns added since the log was made are added to it."""
    database, name = table.split(".")
    root = root.rstrip("/")
    spark.sql(f"create database if not exists {database} location '{root}'")
    schema = ", ".join(f"`{n}` {t}" for n, t in columns)
    folder = name.replace("__", "/", 1)
    spark.sql(
        f"create table if not exists {table} ({schema}) using parquet location '{root}/{folder}'"
    )
    present = {f.name for f in spark.table(table).schema}
    added = [f"`{n}` {t}" for n, t in columns if n not in present]
    if added:  # a log made by an earlier version: new columns come last, null in older rows
        spark.sql(f"alter table {table} add columns ({', '.join(added)})")
    spark.createDataFrame(rows, schema).write.insertInto(table)
