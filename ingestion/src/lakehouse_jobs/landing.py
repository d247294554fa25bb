"""Landing files as produced by tpchgen-cli (CSV with a header, or `|`-terminated TBL) read
into typed, validated rows with their real line numbers, in two passes over the file:

1. `scan_lines`: a cheap text scan that counts lines per file split (Spark's
   `_metadata.file_block_start`), checks the encoding and picks up the first line (header).
2. `parse_landing_file`: each line parsed with `from_csv` and checked against the contract
   with column expressions; a line's number is its split's offset plus its position in the
   split (`monotonically_increasing_id` counts up within a split), so no RDD, no shuffle.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lakehouse_jobs.contracts import Contract
from lakehouse_jobs.errors import LandingFileError, SchemaDriftError
from lakehouse_jobs.validation import contract_checks

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

STATUS = "_status"  # ok | rejected: which table a row goes to
RAW_RECORD = "_raw_record"
REJECT_REASON = "_reject_reason"
NEVER = "\u0001"  # a null marker no file contains: keeps '""' apart from a missing field
_EXTRA = "__extra_field"
_MALFORMED = "__malformed_line"


@dataclass(frozen=True)
class LineScan:
    lines: int
    first_line: str | None
    # per split start: what to add to monotonically_increasing_id to get the line number
    line_offsets: dict[int, int]


def landing_format(contract: Contract) -> str:
    fmt = contract.landing.get("format", "csv")
    if fmt not in ("csv", "tbl"):
        raise ValueError(f"{contract.origin}: landing format {fmt!r} is not csv or tbl")
    return fmt


def _numbered_text(spark: SparkSession, path: str) -> DataFrame:
    from pyspark.sql import functions as F

    return spark.read.text(path).select(
        "value",
        F.col("_metadata.file_block_start").alias("_block"),
        F.monotonically_increasing_id().alias("_position"),
    )


def scan_lines(spark: SparkSession, path: str) -> LineScan:
    from pyspark.sql import functions as F

    # Spark keeps a text line's bytes as they are; decoding shows bytes that are not UTF-8
    utf8 = F.decode(F.col("value").cast("binary"), "UTF-8")
    bad = utf8 != F.col("value")
    blocks = (
        _numbered_text(spark, path)
        .groupBy("_block")
        .agg(
            F.count(F.lit(1)).alias("lines"),
            F.min("_position").alias("first"),
            F.min_by("value", "_position").alias("first_line"),
            F.min(F.when(bad, F.col("_position"))).alias("first_bad"),
        )
        .orderBy("_block")
        .collect()
    )
    offsets, seen, first_bad_line = {}, 0, None
    for block in blocks:
        offsets[block["_block"]] = seen + 1 - block["first"]
        if block["first_bad"] is not None and first_bad_line is None:
            first_bad_line = block["first_bad"] + offsets[block["_block"]]
        seen += block["lines"]
    if first_bad_line is not None:
        raise LandingFileError(
            f"{path}: line {first_bad_line} is not valid UTF-8; landing files must be UTF-8 "
            "(re-export the file, e.g. iconv -f <encoding> -t UTF-8)"
        )
    first_line = blocks[0]["first_line"] if blocks else None
    return LineScan(lines=seen, first_line=first_line, line_offsets=offsets)


def check_columns(contract: Contract, fmt: str, first_line: str | None, path: str) -> None:
    """Schema drift: the file's columns (header, or TBL field count) against the contract."""
    expected = [c.name for c in contract.landing_columns]
    if first_line is None:
        return
    if fmt == "tbl":
        fields = first_line.count("|")
        if fields != len(expected):
            raise SchemaDriftError(
                f"{path}: schema drift in {contract.source}.{contract.table}: the first line has "
                f"{fields} fields, the contract {len(expected)} ({', '.join(expected)})"
            )
        return
    found = [name.strip() for name in next(csv.reader([first_line]))]
    if found == expected:
        return
    missing = [c for c in expected if c not in found]
    new = [c for c in found if c not in expected]
    renamed = [
        f"{old} -> {found[i]}"
        for i, old in enumerate(expected)
        if old in missing and i < len(found) and found[i] in new
    ]
    details = [f"missing {missing}" if missing else "", f"new {new}" if new else ""]
    details += [f"renamed? {', '.join(renamed)}" if renamed else ""]
    if not missing and not new:
        details = [f"columns in another order: {found}"]
    raise SchemaDriftError(
        f"{path}: schema drift in {contract.source}.{contract.table} (contract {contract.origin}): "
        + "; ".join(d for d in details if d)
        + ". Nothing was written; update the contract (and the dbt models) or fix the export."
    )


def _field_count(fmt: str, sep: str):
    """Fields on a line; quoted separators in CSV do not count."""
    from pyspark.sql import functions as F

    value = F.col("value")
    if fmt == "tbl":  # fields end with '|'; a last field without one still counts
        pipes = F.length(value) - F.length(F.regexp_replace(value, r"\|", ""))
        return pipes + F.when(value.endswith("|") | (value == ""), 0).otherwise(1)
    unquoted = F.regexp_replace(value, r'"(?:[^"]|"")*"', "")
    fields = F.length(unquoted) - F.length(F.regexp_replace(unquoted, sep, "")) + 1
    return F.when(value == "", 0).otherwise(fields)


def parse_landing_file(
    spark: SparkSession,
    path: str,
    contract: Contract,
    scan: LineScan,
    source_file: str,
) -> DataFrame:
    """Every data line of the file: typed contract columns, lineage, and the status/reason."""
    from pyspark.sql import functions as F

    fmt = landing_format(contract)
    sep = "|" if fmt == "tbl" else ","
    columns = contract.landing_columns
    expected = len(columns)
    # Exactly as many slots as a good line has tokens (a TBL line ends with a separator: one
    # more, empty, token), plus the corrupt-record slot: Spark fills it only on a line with
    # another token count. Spare slots would make EVERY line take Spark's slow malformed path.
    slots = [f"`{c.name}` string" for c in columns]
    slots += [f"{_EXTRA} string"] if fmt == "tbl" else []
    slots += [f"{_MALFORMED} string"]
    options = {
        "sep": sep,
        "nullValue": NEVER,
        "mode": "PERMISSIVE",
        "columnNameOfCorruptRecord": _MALFORMED,
    }
    if fmt == "tbl":
        options["quote"] = NEVER  # TBL has no quoting
    else:
        options["escape"] = '"'
    offsets = F.create_map(*[F.lit(v) for kv in scan.line_offsets.items() for v in kv])
    lines = _numbered_text(spark, path).select(
        "value",
        (F.col("_position") + F.element_at(offsets, F.col("_block"))).alias("_source_row"),
    )
    if fmt == "csv":
        lines = lines.where(F.col("_source_row") > 1)  # line 1 is the header
    parsed = lines.select(
        "value", "_source_row", F.from_csv("value", ", ".join(slots), options).alias("f")
    ).select("value", "_source_row", "f.*")

    wrong_count = F.col(_MALFORMED).isNotNull() | (F.col("value") == "")
    if fmt == "tbl":  # 'a|b|c' where 'a|b|' is expected: the right token count, no final '|'
        wrong_count = wrong_count | (F.coalesce(F.col(_EXTRA), F.lit("")) != "")
    count_reason = F.concat(
        F.lit(f"wrong field count: expected {expected}, found "),
        _field_count(fmt, sep).cast("string"),
    )
    typed, reasons = contract_checks(contract)
    reason = F.when(wrong_count, count_reason).otherwise(reasons)
    good = reason == ""
    return parsed.select(
        *typed,
        F.lit(source_file).alias("_source_file"),
        F.col("_source_row"),
        F.current_timestamp().alias("_ingested_at"),
        F.when(~good, F.col("value")).alias(RAW_RECORD),
        F.when(~good, reason).alias(REJECT_REASON),
        F.when(good, F.lit("ok")).otherwise(F.lit("rejected")).alias(STATUS),
    )
