"""Writes one batch into a raw table and its quarantine table, all or nothing.

Plain Parquet partition overwrite is not atomic (a killed job leaves half a partition). So:
1. the batch is written ONCE, split by status, into a fresh folder of its own
   (`<table>/_batch_id=<batch>/_run=<run id>/`); the table does not see it yet;
2. the reject ratio is checked from the write's own metrics (no second pass); over the
   threshold the folder is deleted and the batch fails;
3. the rejected rows' folder moves under the quarantine table, and each table's partition is
   pointed at its new folder with one metastore call (ALTER TABLE ... PARTITION ... LOCATION):
   readers see the old batch or the whole new one, never a mix;
4. folders of earlier runs of that batch (superseded, or left by a killed run) are deleted.
Re-running a batch therefore replaces it (no duplicates, no loss); new batches add partitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lakehouse_jobs.contracts import Contract
from lakehouse_jobs.errors import RejectThresholdExceeded, SchemaDriftError
from lakehouse_jobs.landing import RAW_RECORD, REJECT_REASON, STATUS
from lakehouse_jobs.logs import get_logger, log_event
from lakehouse_jobs.storage import Storage

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LAYOUT_PROPERTY = "lakehouse.layout"
LAYOUT = "batch-run-folders-v1"
QUARANTINE_COLUMNS = (
    ("_source_file", "string"),
    ("_source_row", "bigint"),
    (RAW_RECORD, "string"),
    (REJECT_REASON, "string"),
    ("_ingested_at", "timestamp"),
)
log = get_logger("raw_writer")


@dataclass(frozen=True)
class RawTables:
    raw: str
    raw_location: str
    quarantine: str
    quarantine_location: str


@dataclass
class BatchResult:
    rows: int
    written: int
    rejected: int
    metrics: dict = field(default_factory=dict)


def raw_columns(contract: Contract) -> list[tuple[str, str]]:
    return [(c.name, c.data_type) for c in contract.columns if c.name != "_batch_id"]


def _create(spark: SparkSession, table: str, columns, location: str) -> None:
    ddl = ", ".join(f"`{name}` {data_type}" for name, data_type in columns)
    spark.sql(
        f"create table {table} ({ddl}, `_batch_id` string) using parquet "
        f"partitioned by (`_batch_id`) location '{location}' "
        f"tblproperties ('{LAYOUT_PROPERTY}' = '{LAYOUT}')"
    )


def _matches(spark: SparkSession, table: str, columns) -> bool:
    actual = [(f.name, f.dataType.simpleString()) for f in spark.table(table).schema]
    wanted = [(n, t.replace(" ", "")) for n, t in columns] + [("_batch_id", "string")]
    props = {r[0]: r[1] for r in spark.sql(f"show tblproperties {table}").collect()}
    return actual == wanted and props.get(LAYOUT_PROPERTY) == LAYOUT


def _ensure_table(spark, storage, table, columns, location, rebuild_allowed: bool) -> None:
    if spark.catalog.tableExists(table):
        if _matches(spark, table, columns):
            return
        if not rebuild_allowed:
            raise SchemaDriftError(
                f"{table} does not have the contract's columns {[n for n, _ in columns]} "
                "(or predates the batch-folder layout): migrate it before ingesting"
            )
        log_event(log, "rebuilding a local raw table that predates its contract", table=table)
        spark.sql(f"drop table {table}")
        storage.delete(location)
    _create(spark, table, columns, location)


def ensure_tables(
    spark: SparkSession, contract: Contract, database: str, raw_root: str, local: bool
) -> RawTables:
    """The raw and quarantine tables of a contract, created when missing. A local table made
    for another contract version is rebuilt (local raw data is replayable); on AWS that stops."""
    storage = Storage(spark)
    root = raw_root.rstrip("/")
    spark.sql(f"create database if not exists {database} location '{root}'")
    tables = RawTables(
        raw=f"{database}.{contract.identifier}",
        raw_location=f"{root}/{contract.project}/{contract.identifier}",
        quarantine=f"{database}.{contract.identifier}__quarantine",
        quarantine_location=f"{root}/{contract.project}/{contract.identifier}__quarantine",
    )
    _ensure_table(spark, storage, tables.raw, raw_columns(contract), tables.raw_location, local)
    _ensure_table(
        spark, storage, tables.quarantine, QUARANTINE_COLUMNS, tables.quarantine_location, local
    )
    return tables


def point_partition(spark: SparkSession, table: str, batch_id: str, location: str) -> None:
    """One metastore call: the partition now reads `location`, atomically."""
    spec = f"partition (`_batch_id` = '{batch_id}')"
    exists = spark.sql(f"show partitions {table} {spec}").count() > 0
    if exists:
        spark.sql(f"alter table {table} {spec} set location '{location}'")
    else:
        spark.sql(f"alter table {table} add {spec} location '{location}'")
    spark.sql(f"refresh table {table}")


def _drop_superseded(storage: Storage, batch_folder: str, keep: str) -> None:
    keep = keep.rstrip("/")
    for entry in storage.list_entries(batch_folder):
        if entry.rstrip("/") != keep:
            storage.delete(entry)


def _top_reasons(spark: SparkSession, folder: str, limit: int = 5) -> str:
    from pyspark.sql import functions as F

    rows = (
        spark.read.parquet(folder)
        .groupBy(REJECT_REASON)
        .agg(F.count(F.lit(1)).alias("n"), F.min("_source_row").alias("line"))
        .orderBy(F.desc("n"))
        .limit(limit)
        .collect()
    )
    return "; ".join(f"{r['n']} x [{r[REJECT_REASON]}] (first at line {r['line']})" for r in rows)


def write_batch(
    rows: DataFrame,
    tables: RawTables,
    contract: Contract,
    batch_id: str,
    run_id: str,
    max_reject_ratio: float,
    extra_metrics: dict | None = None,
) -> BatchResult:
    """Writes `rows` (typed columns, lineage, _status, _raw_record, _reject_reason) as batch
    `batch_id` of the raw and quarantine tables; returns the counts."""
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    spark = rows.sparkSession
    storage = Storage(spark)
    raw_batch = f"{tables.raw_location}/_batch_id={batch_id}"
    quarantine_batch = f"{tables.quarantine_location}/_batch_id={batch_id}"
    run_folder = storage.qualified(f"{raw_batch}/_run={run_id}")
    good_folder, bad_folder = f"{run_folder}/{STATUS}=ok", f"{run_folder}/{STATUS}=rejected"
    quarantine_folder = storage.qualified(f"{quarantine_batch}/_run={run_id}")

    observation = Observation()
    observed = rows.observe(
        observation,
        F.count(F.lit(1)).alias("rows"),
        F.coalesce(F.sum(F.when(F.col(STATUS) == "rejected", 1)), F.lit(0)).alias("rejected"),
        *[expr.alias(name) for name, expr in (extra_metrics or {}).items()],
    )
    columns = [name for name, _ in raw_columns(contract)]
    # partitioned writes sort each task's rows unless they may keep a writer per value open
    spark.conf.set("spark.sql.maxConcurrentOutputFileWriters", "4")
    observed.select(*columns, RAW_RECORD, REJECT_REASON, STATUS).write.partitionBy(STATUS).mode(
        "errorifexists"
    ).parquet(run_folder)
    metrics = observation.get
    total, rejected = int(metrics["rows"]), int(metrics["rejected"])
    ratio = rejected / total if total else 0.0
    if ratio > max_reject_ratio:
        reasons = _top_reasons(spark, bad_folder)
        storage.delete(run_folder)
        raise RejectThresholdExceeded(
            f"{tables.raw} batch {batch_id}: {rejected} of {total} rows break the contract "
            f"({ratio:.1%} > MAX_REJECT_RATIO {max_reject_ratio:.1%}); nothing was written. "
            f"Most frequent: {reasons}"
        )
    if not storage.exists(good_folder):
        storage.mkdirs(good_folder)  # no good row: the batch is empty, not missing
    if storage.exists(bad_folder):
        storage.move(bad_folder, quarantine_folder)
    else:
        storage.mkdirs(quarantine_folder)
    point_partition(spark, tables.quarantine, batch_id, quarantine_folder)
    point_partition(spark, tables.raw, batch_id, good_folder)
    _drop_superseded(storage, raw_batch, run_folder)
    _drop_superseded(storage, quarantine_batch, quarantine_folder)
    extras = {k: metrics[k] for k in (extra_metrics or {})}
    return BatchResult(rows=total, written=total - rejected, rejected=rejected, metrics=extras)
