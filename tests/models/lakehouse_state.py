"""What a lakehouse holds, in comparable form: table fingerprints and Iceberg snapshot ids.

Used in the test process (shared `lakehouse` fixture) and in the separate processes of the
kill test (`isolated_build.py`), so both sides compute the same thing.
"""

from __future__ import annotations

from lakehouse_jobs.domain import load_domain


def database(layer: str) -> str:
    return load_domain().database(layer)


def tables(spark, layer: str) -> list[str]:
    """Every table (not view) of a layer's database, as database.table."""
    name = database(layer)
    if not spark.catalog.databaseExists(name):
        return []
    return sorted(
        f"{name}.{t.name}"
        for t in spark.catalog.listTables(name)
        if t.tableType != "VIEW" and not t.isTemporary
    )


def fingerprint(spark, table: str) -> tuple[int, str]:
    """Row count and an order-independent hash of every row: equal tables, equal fingerprints."""
    count, digest = spark.sql(
        f"select count(*), coalesce(sum(cast(xxhash64(*) as decimal(38, 0))), 0) from {table}"
    ).first()
    return count, str(digest)


def fingerprints(spark, layer: str) -> dict[str, tuple[int, str]]:
    return {table: fingerprint(spark, table) for table in tables(spark, layer)}


def current_snapshot(spark, table: str) -> int | None:
    """The Iceberg snapshot the table's main branch points at."""
    rows = spark.sql(f"select snapshot_id from {table}.refs where name = 'main'").collect()
    return rows[0][0] if rows else None


def is_iceberg(spark, table: str) -> bool:
    details = {r[0]: r[1] for r in spark.sql(f"describe table extended {table}").collect()}
    return details.get("Provider") == "iceberg"


def partition_location(spark, table: str, spec: str) -> str:
    """Folder of one partition (DESCRIBE FORMATTED lists the partition's, then the table's)."""
    rows = spark.sql(f"describe formatted {table} partition ({spec})").collect()
    start = next(i for i, r in enumerate(rows) if r[0].startswith("# Detailed Partition"))
    return next(r[1] for r in rows[start:] if r[0] == "Location")
