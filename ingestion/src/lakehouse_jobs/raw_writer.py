"""Writes a typed batch into its raw table: Parquet, Hive-style partitioned by `_batch_id`.

Re-running a batch overwrites exactly that partition (dynamic partition overwrite), so
re-runs never duplicate and later batches append new partitions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def ensure_database(spark: SparkSession, database: str, location: str | None = None) -> None:
    where = f" location '{location}'" if location else ""
    spark.sql(f"create database if not exists {database}{where}")


def write_batch(df: DataFrame, table: str, location: str) -> None:
    spark = df.sparkSession
    if not spark.catalog.tableExists(table):
        (
            df.limit(0)
            .write.format("parquet")
            .partitionBy("_batch_id")
            .option("path", location)
            .saveAsTable(table)
        )
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    df.select(*spark.table(table).columns).write.insertInto(table, overwrite=True)
