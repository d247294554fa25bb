"""`make run`'s dbt build in a process of its own, on its own LAKEHOUSE_DIR (the kill test).

    python isolated_build.py load <export dir>   register the exported raw tables, dbt build
    python isolated_build.py check <out.json>    check every Iceberg table (written at once),
                                                 dbt build again, then add the build's outcome,
                                                 the curated fingerprints and every table again

Runs like `make run` does: one Spark session in this process, dbt in-process on it, the gate
auditing on branches and publishing only after every test passed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lakehouse_state import current_snapshot, fingerprint, fingerprints, is_iceberg, tables

from lakehouse import gate
from lakehouse.local.dbt import run_dbt


def spark_session():
    from lakehouse_jobs.spark import get_spark

    spark = get_spark("isolated-build")
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def load_raw(spark, export: Path) -> None:
    """Each exported raw table becomes a Parquet table partitioned by batch, as ingestion writes."""
    for folder in sorted(export.iterdir()):
        table = folder.name
        database = table.split(".")[0]
        spark.sql(f"create database if not exists {database}")
        (
            spark.read.parquet(str(folder))
            .write.format("parquet")
            .partitionBy("_batch_id")
            .saveAsTable(table)
        )


def check_tables(spark) -> dict[str, dict]:
    """Every Iceberg table of refined and curated: readable, and at a committed snapshot."""
    found = {}
    for layer in ("refined", "curated"):
        for table in tables(spark, layer):
            if is_iceberg(spark, table):
                found[table] = {
                    "snapshot": current_snapshot(spark, table),
                    "rows": fingerprint(spark, table)[0],
                }
    return found


def main(argv: list[str]) -> int:
    command, path = argv[0], Path(argv[1])
    spark = spark_session()
    if command == "load":
        load_raw(spark, path)
        print("==> dbt build", flush=True)
        return 0 if gate.run(run_dbt).success else 1
    result = {"checked": check_tables(spark)}
    path.write_text(json.dumps(result, indent=2))  # kept when this build is killed too
    build = gate.run(run_dbt)
    result |= {
        "build_success": build.success,
        "curated": fingerprints(spark, "curated"),
        "after": check_tables(spark),
    }
    path.write_text(json.dumps(result, indent=2))
    return 0 if build.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
