"""Reads a landing file into a typed DataFrame that follows its contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lakehouse_jobs.contracts import Contract

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def read_landing_file(spark: SparkSession, path: str, contract: Contract, batch_id: str) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    columns = contract.landing_columns
    text_schema = StructType([StructField(c.name, StringType()) for c in columns])
    fmt = contract.landing.get("format", "csv")
    reader = spark.read.option("header", fmt == "csv").option("sep", "," if fmt == "csv" else "|")
    text = reader.schema(text_schema).option("mode", "FAILFAST").csv(path)
    numbered = text.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1))
    rows = spark.createDataFrame(numbered, StructType([*text_schema.fields, StructField("_source_row", StringType())]))
    typed = rows.select(
        *[F.col(c.name).cast(c.data_type).alias(c.name) for c in columns],
        F.lit(batch_id).alias("_batch_id"),
        F.lit(path).alias("_source_file"),
        F.col("_source_row").cast("bigint").alias("_source_row"),
        F.current_timestamp().alias("_ingested_at"),
    )
    return typed
