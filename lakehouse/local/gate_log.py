"""The gate's run log on the local lakehouse: the record of every run of `make run`'s and
`make gate`'s gate (lakehouse.run_log), a row per source checked (one row when none was), in
{abbr}_raw.domain___gate_runs, beside the ingestion jobs' run logs. On AWS the record goes to
the build's log and CloudWatch instead.

    make sql Q="select ended_at, status, failed_nodes, source, freshness_status,
                freshness_lag_seconds from cmr_raw.domain___gate_runs
                order by ended_at desc limit 8"
"""

from __future__ import annotations

from datetime import UTC, datetime

from lakehouse_jobs.config import Config
from lakehouse_jobs.lifecycle import append_log

# "domain": the run log of the domain's gate, named and stored like a project's
# (<raw root>/domain/_gate_runs); no project may be named domain
TABLE_NAME = "domain___gate_runs"
COLUMNS = (
    ("run_id", "string"),
    ("project", "string"),  # null: the whole domain (make run)
    ("stage", "string"),
    ("branch", "string"),
    ("status", "string"),  # published, passed or failed
    ("started_at", "timestamp"),
    ("ended_at", "timestamp"),
    ("duration_seconds", "double"),
    ("nodes", "map<string,bigint>"),  # nodes of the run by status
    ("tests_failed", "bigint"),
    ("stale_sources", "bigint"),
    ("source", "string"),
    ("freshness_status", "string"),
    ("freshness_lag_seconds", "double"),
    ("max_loaded_at", "timestamp"),
    ("failed_nodes", "array<string>"),  # last: a log made before it gets it added (append_log)
)


def table(config: Config | None = None) -> str:
    return f"{(config or Config()).get('RAW_DATABASE')}.{TABLE_NAME}"


def rows(log: dict) -> list[tuple]:
    kept = ("run_id", "project", "stage", "branch", "status", "nodes", "failed_nodes")
    common = {k: log[k] for k in kept}
    common |= {k: _timestamp(log[k]) for k in ("started_at", "ended_at")}
    common |= {k: log[k] for k in ("duration_seconds", "tests_failed", "stale_sources")}
    found = []
    for source in log["sources"] or [{}]:
        row = {
            **common,
            "source": source.get("source"),
            "freshness_status": source.get("status"),
            "freshness_lag_seconds": source.get("lag_seconds"),
            "max_loaded_at": _timestamp(source.get("max_loaded_at")),
        }
        found.append(tuple(row[name] for name, _ in COLUMNS))
    return found


def append(spark, log: dict) -> None:
    """The record's rows appended to the run log; a failure is one line, never the build's."""
    config = Config()
    try:
        append_log(spark, table(config), config.get("RAW_ROOT"), COLUMNS, rows(log))
    except Exception as failure:  # the gate's outcome matters more than its log row
        print(f"gate: could not append to the run log {table(config)}: {failure}")


def keep(log: dict, target: str | None = None) -> None:
    """lakehouse.gate.main's `keep` for `make gate`: the record into the run log."""
    from lakehouse_jobs.spark import get_spark

    append(get_spark(), log)


def _timestamp(text: str | None) -> datetime | None:
    """An ISO time as the naive UTC timestamp Spark stores (the session's time zone is UTC)."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
