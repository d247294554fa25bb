"""A JDBC ingestion job: the rows of a database table changed since the last batch, by a
watermark column, into its raw tables (same contract checks, quarantine and atomic batches
as files).

The contract's `meta.landing` names the table (`jdbc_table`), the watermark column
(`watermark`) and a key to order ties (`key`). Credentials come from configuration, never
from code: `<SOURCE>_SECRET_NAME` (a Secrets Manager secret holding JSON with `username`,
`password` and `jdbc_url`, or `host`/`port`/`dbname`), by default on AWS the secret
`{abbr}/{env}/{project}/{source}` that the project's job role may read; or `<SOURCE>_SECRET_FILE`,
a file holding the same JSON (the local lakehouse's CRM keeps its secret so); else
`<SOURCE>_JDBC_URL`, `<SOURCE>_USER`, `<SOURCE>_PASSWORD` (e.g. CMR_CRM_PASSWORD in the
environment). They are read at every run: a rotated password is used from the next run on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from lakehouse_jobs.config import Config
from lakehouse_jobs.contracts import Contract
from lakehouse_jobs.errors import ConfigError, SchemaDriftError, SourceAccessError
from lakehouse_jobs.job import run_job, source_contracts
from lakehouse_jobs.landing import RAW_RECORD, REJECT_REASON, STATUS
from lakehouse_jobs.lifecycle import JobRun, TableRun
from lakehouse_jobs.raw_writer import ensure_tables, write_batch
from lakehouse_jobs.validation import contract_checks

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
# the JDBC driver's error inside Spark's Java one: ": org.postgresql.util.PSQLException: FATAL: ..."
_SQL_ERROR = re.compile(r"^: [\w.$]*SQLException: (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class JdbcSource:
    url: str
    user: str
    password: str
    origin: str  # where the credentials come from, for the error of a refused login

    @property
    def location(self) -> str:
        """The URL without `jdbc:` and without any credentials, for lineage."""
        parsed = urlparse(self.url.removeprefix("jdbc:"))
        return f"{parsed.scheme}://{parsed.hostname}:{parsed.port}{parsed.path}"


def default_secret_name(config: Config, source: str) -> str:
    """The secret a deployed job reads (terraform's job role may read {abbr}/{env}/{project}/*)."""
    project = config.require("PROJECT")
    return f"{config.domain.abbreviation}/{config.require('ENV')}/{project}/{source}"


def jdbc_source(config: Config, source: str) -> JdbcSource:
    prefix = source.upper()
    secret_name = config.get(f"{prefix}_SECRET_NAME")
    if not secret_name and config.on_aws and not config.get(f"{prefix}_JDBC_URL"):
        secret_name = default_secret_name(config, source)
    if secret_name:
        from lakehouse_jobs.guard import aws_client

        secret = aws_client("secretsmanager", config).get_secret_value(SecretId=secret_name)
        return _from_secret(secret["SecretString"], f"secret {secret_name}")
    secret_file = config.get(f"{prefix}_SECRET_FILE")
    if secret_file:
        try:
            text = Path(secret_file).read_text()
        except OSError as error:
            raise ConfigError(f"{prefix}_SECRET_FILE: cannot read {secret_file}: {error}") from None
        return _from_secret(text, f"file {secret_file}")
    return JdbcSource(
        config.require(f"{prefix}_JDBC_URL"),
        config.require(f"{prefix}_USER"),
        config.require(f"{prefix}_PASSWORD"),
        f"configuration {prefix}_USER and {prefix}_PASSWORD",
    )


def _from_secret(text: str, origin: str) -> JdbcSource:
    """A secret's JSON: `username`, `password`, and `jdbc_url` or `host`/`port`/`dbname`."""
    values = json.loads(text)
    url = values.get("jdbc_url") or (
        f"jdbc:postgresql://{values['host']}:{values.get('port', 5432)}/{values['dbname']}"
    )
    return JdbcSource(url, values["username"], values["password"], origin)


def _identifier(contract: Contract, key: str) -> str:
    value = contract.landing.get(key)
    if not value or not _IDENTIFIER.match(value):
        raise ConfigError(f"{contract.origin}: meta.landing.{key} must name a column or table")
    return value


def previous_watermark(spark, config: Config, raw_table: str, batch_id: str) -> str | None:
    """The high watermark of the latest successful earlier batch (so a re-run of a batch reads
    what it read the first time, and the next batch carries on from there)."""
    log_table = config.require("RUN_LOG_TABLE")
    if not spark.catalog.tableExists(log_table):
        return None
    from pyspark.sql import functions as F

    row = (
        spark.table(log_table)
        .where(
            (F.col("status") == "SUCCEEDED")
            & (F.col("table_name") == raw_table)
            & (F.col("batch_id") < batch_id)
        )
        .agg(F.max("watermark"))
        .first()
    )
    return row[0]


def read_changes(spark, source: JdbcSource, contract: Contract, since: str | None):
    table = _identifier(contract, "jdbc_table")
    watermark = _identifier(contract, "watermark")
    key = contract.landing.get("key") or contract.landing_columns[0].name
    where = f" where t.{watermark} > timestamptz '{since} +00'" if since else ""
    query = (
        f"select t.*, row_number() over (order by t.{watermark}, t.{key}) as _source_row "
        f"from {table} t{where}"
    )
    reader = (
        spark.read.format("jdbc")
        .option("url", source.url)
        .option("user", source.user)
        .option("password", source.password)
        .option("driver", "org.postgresql.Driver")
        .option("query", query)
        .option("fetchsize", "10000")
    )
    try:
        return reader.load()  # connects, logs in and reads the query's columns
    except Exception as error:
        refused = _SQL_ERROR.search(str(error))
        if refused is None:
            raise
        raise SourceAccessError(
            f"cannot read {source.location}/{table} as {source.user}: {refused.group(1)} "
            f"(the job's credentials come from the {source.origin}; a rotated password must "
            "be changed there too)"
        ) from None


def check_columns(contract: Contract, columns: list[str], where: str) -> None:
    expected = [c.name for c in contract.landing_columns]
    extra = {contract.landing["watermark"], "_source_row"}
    missing = [c for c in expected if c not in columns]
    new = [c for c in columns if c not in expected and c not in extra]
    if missing or new:
        raise SchemaDriftError(
            f"{where}: schema drift in {contract.source}.{contract.table}: "
            + "; ".join(
                part
                for part in (f"missing {missing}" * bool(missing), f"new {new}" * bool(new))
                if part
            )
            + ". Nothing was written; update the contract (and the dbt models) or the source."
        )


def validated(changes, contract: Contract, source_file: str):
    """The same checks as a landing file: each value as text against the contract."""
    from pyspark.sql import functions as F

    names = [c.name for c in contract.landing_columns]
    watermark = contract.landing["watermark"]
    as_text = changes.select(
        *[F.col(n).cast("string").alias(n) for n in names],
        F.col(watermark).cast("string").alias("__watermark"),
        F.to_json(F.struct(*[F.col(n) for n in changes.columns if n != "_source_row"])).alias(
            "__record"
        ),
        F.col("_source_row").cast("bigint").alias("_source_row"),
    )
    typed, reasons = contract_checks(contract)
    good = reasons == ""
    return as_text.select(
        *typed,
        F.lit(source_file).alias("_source_file"),
        "_source_row",
        F.current_timestamp().alias("_ingested_at"),
        F.when(~good, F.col("__record")).alias(RAW_RECORD),
        F.when(~good, reasons).alias(REJECT_REASON),
        F.when(good, F.lit("ok")).otherwise(F.lit("rejected")).alias(STATUS),
        "__watermark",
    )


def ingest_table(spark, config: Config, run: JobRun, contract: Contract) -> None:
    from pyspark.sql import functions as F

    source = jdbc_source(config, contract.source)
    tables = ensure_tables(
        spark,
        contract,
        config.require("RAW_DATABASE"),
        config.require("RAW_ROOT"),
        local=not config.on_aws,
    )
    since = previous_watermark(spark, config, tables.raw, run.batch_id)
    changes = read_changes(spark, source, contract, since)
    origin = f"{source.location}/{contract.landing['jdbc_table']}"
    check_columns(contract, changes.columns, origin)
    rows = validated(changes, contract, origin)
    result = write_batch(
        rows,
        tables,
        contract,
        run.batch_id,
        run.run_id,
        config.number("MAX_REJECT_RATIO"),
        extra_metrics={"watermark": F.max("__watermark")},
    )
    run.record(
        TableRun(
            table_name=tables.raw,
            source=contract.landing["jdbc_table"],
            source_namespace=source.location,
            rows_read=result.rows,
            rows_written=result.written,
            rows_rejected=result.rejected,
            watermark=result.metrics.get("watermark") or since,
            quarantine_table=tables.quarantine,
        )
    )


def run_jdbc_ingestion(project: str, source: str, argv: list[str]) -> int:
    """Entry point of a JDBC job script: `--BATCH_ID <id>` plus any configuration key."""

    def ingest(spark, config: Config, run: JobRun) -> None:
        for contract in source_contracts(project, source):
            ingest_table(spark, config, run, contract)

    return run_job(project, source, argv, ingest)
