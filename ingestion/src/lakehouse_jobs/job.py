"""What every job script shares: configuration from its arguments, the Spark session, the run
lifecycle, and the exit code (0 done, 1 a failure this library explains)."""

from __future__ import annotations

from collections.abc import Callable

from lakehouse_jobs.config import Config, job_config
from lakehouse_jobs.contracts import Contract, load_contracts
from lakehouse_jobs.errors import IngestionError
from lakehouse_jobs.lifecycle import JobRun
from lakehouse_jobs.logs import get_logger

log = get_logger("job")


def source_contracts(project: str, source: str) -> list[Contract]:
    found = [c for c in load_contracts().values() if c.project == project and c.source == source]
    if not found:
        raise IngestionError(f"no contract declares source {source} of project {project}")
    return found


def run_job(
    project: str, source: str, argv: list[str], ingest: Callable[[object, Config, JobRun], None]
) -> int:
    """Runs `ingest(spark, config, run)` as job `<project>-ingest-<source>`; returns the exit
    code."""
    config = job_config(argv, PROJECT=project)
    try:
        batch_id = config.require("BATCH_ID")
        from lakehouse_jobs.spark import get_spark

        spark = get_spark(f"{project}-ingest-{source}")
        run = JobRun(f"{project}-ingest-{source}", batch_id, config, spark)
        if _is_uuid(config.get("JOB_RUN_ID") or ""):  # OpenLineage run ids are UUIDs
            run.run_id = config.get("JOB_RUN_ID")
        with run:
            ingest(spark, config, run)
        return 0
    except IngestionError as error:
        log.error(str(error), extra={"fields": {"job": f"{project}-ingest-{source}"}})
        return 1


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False
