"""Contract checks as Spark column expressions (no UDFs): typing, not_null, accepted_values.

Each landing value arrives as a string (an empty string counts as missing). A value that does
not type exactly (`try_cast` under ANSI rules plus a few cheap shape checks), a missing
required value, or a value outside the accepted set gives a reason; a row with no reason is
good, a row with any goes to quarantine with all of its reasons.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lakehouse_jobs.contracts import Column, Contract

if TYPE_CHECKING:
    from pyspark.sql import Column as SparkColumn

DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
INTEGERS = ("tinyint", "smallint", "int", "integer", "bigint")


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def typed_value(column: Column) -> SparkColumn:
    """The column's string value cast to its contract type; null when it does not type."""
    from pyspark.sql import functions as F

    if column.data_type == "string":
        return F.col(_quoted(column.name))
    # try_cast applies ANSI rules (no silent '1.5' -> 1) and yields null instead of failing
    return F.expr(f"try_cast({_quoted(column.name)} as {column.data_type})")


def shape_ok(column: Column, value: SparkColumn, typed: SparkColumn) -> SparkColumn:
    """True when a present value types exactly; cheap string checks close try_cast's gaps."""
    from pyspark.sql import functions as F

    data_type = column.data_type
    if data_type == "string":
        return F.lit(True)
    ok = typed.isNotNull()
    if data_type == "date":
        ok = ok & (F.length(value) == 10)  # try_cast accepts '1996-1-2' and '1996-01-02T..'
    decimal = DECIMAL.fullmatch(data_type)
    if decimal:  # try_cast rounds extra decimals away; money must not change silently
        scale = int(decimal.group(2))
        point = F.locate(".", value)
        ok = ok & ((point == 0) | (F.length(value) - point <= scale))
    return ok


def describe(value: SparkColumn) -> SparkColumn:
    from pyspark.sql import functions as F

    return F.concat(F.lit("'"), F.substring(value, 1, 40), F.lit("'"))


def column_reasons(column: Column) -> tuple[SparkColumn, list[SparkColumn]]:
    """The typed value of one string column (named like the contract column) and the reasons
    (null when fine) it breaks the contract."""
    from pyspark.sql import functions as F

    value = F.col(_quoted(column.name))
    present = value.isNotNull() & (value != "")
    typed = typed_value(column)
    name = column.name
    reasons = [
        F.when(
            present & ~shape_ok(column, value, typed),
            F.concat(
                F.lit(f"{name}: "), describe(value), F.lit(f" is not a valid {column.data_type}")
            ),
        )
    ]
    if column.required:
        reasons.append(F.when(~present, F.lit(f"{name}: missing (not_null)")))
    if column.accepted_values is not None:
        allowed = ", ".join(column.accepted_values)
        reasons.append(
            F.when(
                present & ~value.isin(*column.accepted_values),
                F.concat(
                    F.lit(f"{name}: "),
                    describe(value),
                    F.lit(f" not in accepted values [{allowed}]"),
                ),
            )
        )
    return F.when(present, typed).cast(column.data_type).alias(name), reasons


def contract_checks(contract: Contract) -> tuple[list[SparkColumn], SparkColumn]:
    """Over a DataFrame of string columns named like the contract's landing columns: the typed
    columns and one reason string per row ('' when the row is good)."""
    from pyspark.sql import functions as F

    typed, reasons = [], []
    for column in contract.landing_columns:
        value, why = column_reasons(column)
        typed.append(value)
        reasons.extend(why)
    return typed, F.concat_ws("; ", *reasons)
