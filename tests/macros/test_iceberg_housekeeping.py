"""Iceberg table properties and housekeeping (macros/maintenance) on the shared lakehouse."""

import json
from pathlib import Path

import pytest

from lakehouse.local.dbt import run_dbt

pytestmark = pytest.mark.integration

PROBE = "cmr_refined.housekeeping_probe"


def properties(lakehouse, table: str) -> dict[str, str]:
    return dict(lakehouse.rows(f"show tblproperties {table}"))


@pytest.mark.parametrize("table", ["cmr_refined.orders", "cmr_curated.order_volume_by_month"])
def test_dbt_built_iceberg_tables_carry_the_domain_defaults(lakehouse, table):
    props = properties(lakehouse, table)
    assert props["format-version"] == "2"
    assert props["write.distribution-mode"] == "hash"
    assert props["write.parquet.compression-codec"] == "zstd"
    assert props["history.expire.min-snapshots-to-keep"] == "5"
    assert props["history.expire.max-snapshot-age-ms"] == str(7 * 86_400_000)


def test_make_run_ran_housekeeping_on_every_built_iceberg_table(lakehouse):
    for table in ("cmr_refined.orders", "cmr_curated.order_volume_by_month"):
        assert properties(lakehouse, table)["lakehouse.maintained-at"].endswith("Z"), table


@pytest.fixture
def probe(lakehouse):
    """An Iceberg table written in six small commits: six snapshots, six data files."""
    spark = lakehouse.spark
    spark.sql(f"drop table if exists {PROBE} purge")
    spark.sql(f"create table {PROBE} (id bigint, amount decimal(10,2)) using iceberg")
    for batch in range(6):
        spark.sql(
            f"insert into {PROBE} select id, cast(id * 1.25 as decimal(10,2)) "
            f"from range({batch * 100}, {(batch + 1) * 100}, 1, 1) as r(id)"  # one file each
        )
    yield PROBE
    spark.sql(f"drop table if exists {PROBE} purge")


def state(lakehouse, table):
    (snapshots,) = lakehouse.rows(f"select count(*) from {table}.snapshots")[0]
    (files,) = lakehouse.rows(f"select count(*) from {table}.files")[0]
    (rows, total) = lakehouse.rows(f"select count(*), sum(amount) from {table}")[0]
    return snapshots, files, rows, total


def maintain(**args):
    return run_dbt("run-operation", "iceberg_maintenance", "--args", json.dumps(args))


def test_maintenance_compacts_files_and_expires_snapshots_without_losing_rows(lakehouse, probe):
    snapshots, files, rows, total = state(lakehouse, probe)
    assert (snapshots, files, rows) == (6, 6, 600)

    result = maintain(tables=[probe], retention_days=0, retain_last=1)

    assert result.success
    # the compaction and manifest snapshots were committed after the cut-off: both stay
    assert state(lakehouse, probe) == (2, 1, 600, total)
    # the expired snapshots' data files are gone from storage, not only from the metadata
    details = {row[0]: row[1] for row in lakehouse.rows(f"describe table extended {probe}")}
    location = details["Location"]
    on_disk = list(Path(location.removeprefix("file:")).glob("data/**/*.parquet"))
    assert len(on_disk) == 1


def test_maintenance_keeps_snapshots_inside_the_retention_window(lakehouse, probe):
    maintain(tables=[probe], retain_last=1)  # default window: 7 days, all six are younger
    snapshots, files, rows, _ = state(lakehouse, probe)
    assert (snapshots, files, rows) == (8, 1, 600)  # + rewrite_data_files + rewrite_manifests


def test_dry_run_changes_nothing(lakehouse, probe):
    before = state(lakehouse, probe)
    result = maintain(tables=[probe], retention_days=0, retain_last=1, dry_run=True)
    assert result.success
    assert state(lakehouse, probe) == before
