"""A file ingestion job: one batch of a source's landing files into its raw tables.

landing/<project>/<source>/<batch>/<file>  --validate-->  raw + quarantine tables
                                           --then move-->  archive/<project>/<source>/<batch>/<file>
A batch whose landing file is gone but archived is replayed from the archive.
"""

from __future__ import annotations

from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import Contract
from lakehouse_jobs.errors import LandingFileError
from lakehouse_jobs.job import run_job, source_contracts
from lakehouse_jobs.landing import check_columns, landing_format, parse_landing_file, scan_lines
from lakehouse_jobs.lifecycle import JobRun, TableRun
from lakehouse_jobs.raw_writer import BatchResult, ensure_tables, write_batch
from lakehouse_jobs.storage import Storage


def batch_path(root: str, contract: Contract, batch_id: str) -> str:
    name = contract.landing["file"]
    return f"{root.rstrip('/')}/{contract.project}/{contract.source}/{batch_id}/{name}"


def locate_landing_file(storage: Storage, contract: Contract, batch_id: str, config: Config):
    """(file to read, its archive path): the landing file, else its archived copy (replay)."""
    landing = batch_path(config.require("LANDING_ROOT"), contract, batch_id)
    archive = batch_path(config.require("ARCHIVE_ROOT"), contract, batch_id)
    for candidate in (landing, archive):
        if storage.exists(candidate):
            if storage.size(candidate) == 0:
                raise LandingFileError(f"{candidate} is empty (0 bytes): expected a header")
            return storage.qualified(candidate), storage.qualified(archive)
    raise LandingFileError(
        f"landing file for {contract.source}.{contract.table} batch {batch_id} is missing: "
        f"neither {landing} nor its archived copy {archive} exists"
    )


def ingest_file(
    spark, contract: Contract, batch_id: str, config: Config, run_id: str
) -> tuple[BatchResult, str, str]:
    """Loads one contracted file of a batch; returns the counts, table name and archived path."""
    storage = Storage(spark)
    path, archived = locate_landing_file(storage, contract, batch_id, config)
    scan = scan_lines(spark, path)
    fmt = landing_format(contract)
    check_columns(contract, fmt, scan.first_line, path)
    tables = ensure_tables(
        spark,
        contract,
        config.require("RAW_DATABASE"),
        config.require("RAW_ROOT"),
        local=not config.on_aws,
    )
    rows = parse_landing_file(spark, path, contract, scan, source_file=archived)
    result = write_batch(
        rows, tables, contract, batch_id, run_id, config.number("MAX_REJECT_RATIO")
    )
    if path != archived:
        storage.move(path, archived)  # kept by batch, so the batch can be replayed
    return result, tables, archived


def ingest_source_files(spark, config: Config, run: JobRun, project: str, source: str) -> None:
    for contract in source_contracts(project, source):
        result, tables, archived = ingest_file(spark, contract, run.batch_id, config, run.run_id)
        run.record(
            TableRun(
                table_name=tables.raw,
                source=archived,
                source_namespace="file",
                rows_read=result.rows,
                rows_written=result.written,
                rows_rejected=result.rejected,
                quarantine_table=tables.quarantine,
            )
        )


def run_file_ingestion(project: str, source: str, argv: list[str]) -> int:
    """Entry point of a file job script: `--BATCH_ID <id>` plus any configuration key."""
    return run_job(
        project,
        source,
        argv,
        lambda spark, config, run: ingest_source_files(spark, config, run, project, source),
    )
