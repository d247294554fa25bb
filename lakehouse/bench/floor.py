"""The benchmark's reference: the pipeline's work hand-written in one PySpark script, in one
Spark session, with no dbt, no ingestion library and no per-model overhead. What the engine
needs at the least on this machine: the floor the pipeline is measured against.

    python -m lakehouse.bench.floor --generated <tpch folder> --out <result.json>

Same input, same outputs as the pipeline's full build: the history batch's landing files (and
the customers the CRM is seeded with) are read with the contracts' types, conformed like the
refined models (renamed, cast, latest version per key) into Iceberg tables with the same table
properties and partitioning, then the six curated tables are computed from them. Not done here:
quarantine, raw Parquet copies, run logs, tests, docs (the pipeline does them; the floor is what
the data alone costs). Spark's start-up is timed apart and counted in neither side.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lakehouse_jobs.contracts import Contract, load_contracts
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.paths import lakehouse_dir

from lakehouse.bench.measure import Timer, peak_memory_mb
from lakehouse.local import tpch

DAILY_BATCHES = 1
PROPERTIES = {
    "format-version": "2",
    "write.format.default": "parquet",
    "write.parquet.compression-codec": "zstd",
    "write.distribution-mode": "hash",
    "write.target-file-size-bytes": "134217728",
}

# refined table: (source table, renames source column -> refined column, key, partitioning)
# fmt: off
REFINED = {
    "orders": (
        "orders",
        {
            "o_orderkey": "order_id", "o_custkey": "customer_id", "o_orderstatus": "order_status",
            "o_orderpriority": "order_priority", "o_clerk": "clerk_name",
            "o_comment": "order_comment", "o_totalprice": "total_price",
            "o_shippriority": "ship_priority", "o_orderdate": "ordered_on",
        },
        ["order_id"],
        "months(ordered_on)",
    ),
    "lineitems": (
        "lineitem",
        {
            "l_orderkey": "order_id", "l_linenumber": "line_number", "l_partkey": "part_id",
            "l_suppkey": "supplier_id", "l_returnflag": "return_flag",
            "l_linestatus": "line_status", "l_shipinstruct": "ship_instruction",
            "l_shipmode": "ship_mode", "l_comment": "line_comment", "l_quantity": "quantity",
            "l_extendedprice": "extended_price", "l_discount": "discount_rate",
            "l_tax": "tax_rate", "l_shipdate": "shipped_on", "l_commitdate": "committed_on",
            "l_receiptdate": "received_on",
        },
        ["order_id", "line_number"],
        "months(shipped_on)",
    ),
    "customers": (
        "customer",
        {
            "c_custkey": "customer_id", "c_nationkey": "nation_id", "c_name": "customer_name",
            "c_address": "customer_address", "c_phone": "phone_number",
            "c_mktsegment": "market_segment", "c_comment": "customer_comment",
            "c_acctbal": "account_balance",
        },
        ["customer_id"],
        None,
    ),
    "suppliers": (
        "supplier",
        {
            "s_suppkey": "supplier_id", "s_nationkey": "nation_id", "s_name": "supplier_name",
            "s_address": "supplier_address", "s_phone": "phone_number",
            "s_comment": "supplier_comment", "s_acctbal": "account_balance",
        },
        ["supplier_id"],
        None,
    ),
    "parts": (
        "part",
        {
            "p_partkey": "part_id", "p_name": "part_name", "p_mfgr": "manufacturer",
            "p_brand": "brand", "p_type": "part_type", "p_container": "container",
            "p_comment": "part_comment", "p_size": "part_size", "p_retailprice": "retail_price",
        },
        ["part_id"],
        None,
    ),
    "part_suppliers": (
        "partsupp",
        {
            "ps_partkey": "part_id", "ps_suppkey": "supplier_id", "ps_comment": "offer_comment",
            "ps_availqty": "available_quantity", "ps_supplycost": "supply_cost",
        },
        ["part_id", "supplier_id"],
        None,
    ),
}
# fmt: on

NATIONS = """
select
    n.n_nationkey as nation_id, n.n_regionkey as region_id, n.n_name as nation_name,
    r.r_name as region_name, n.n_comment as nation_comment, n._batch_id as batch_id,
    n._ingested_at as ingested_at
from landing_nation as n
left join landing_region as r on n.n_regionkey = r.r_regionkey
"""

CURATED = {
    "customer_lifetime_value": """
with customer_orders as (
    select customer_id, count(*) as order_count, sum(total_price) as lifetime_value,
        min(ordered_on) as first_ordered_on, max(ordered_on) as last_ordered_on
    from {refined}.orders group by 1
),
joined as (
    select c.customer_id, c.customer_name, c.market_segment, n.nation_name,
        coalesce(o.order_count, 0) as order_count,
        coalesce(o.lifetime_value, 0) as lifetime_value, o.first_ordered_on, o.last_ordered_on
    from {refined}.customers as c
    left join customer_orders as o on c.customer_id = o.customer_id
    left join {refined}.nations as n on c.nation_id = n.nation_id
)
select customer_id, customer_name, market_segment, nation_name,
    case when order_count = 0 then 'prospect' when lifetime_value >= 3000000 then 'platinum'
        when lifetime_value >= 1500000 then 'gold' when lifetime_value >= 500000 then 'silver'
        else 'bronze' end as value_segment,
    order_count, cast(lifetime_value as decimal(18, 2)) as lifetime_value,
    cast(case when order_count > 0 then lifetime_value / order_count end as decimal(18, 2))
        as average_order_value,
    first_ordered_on, last_ordered_on
from joined
""",
    "order_shipping_priority": """
with open_lines as (
    select order_id, count(*) as open_line_count, min(shipped_on) as next_shipped_on,
        sum(extended_price * (1 - discount_rate)) as open_revenue
    from {refined}.lineitems where line_status = 'O' group by 1
)
select o.order_id, o.customer_id, c.market_segment, o.order_priority, o.ship_priority,
    cast(rank() over (partition by c.market_segment
        order by l.open_revenue desc, o.ordered_on asc) as int) as priority_rank,
    l.open_line_count, cast(l.open_revenue as decimal(18, 2)) as open_revenue,
    o.ordered_on, l.next_shipped_on
from open_lines as l
inner join {refined}.orders as o on l.order_id = o.order_id
inner join {refined}.customers as c on o.customer_id = c.customer_id
""",
    "order_volume_by_month": """
select cast(date_trunc('month', ordered_on) as date) as order_month, order_status,
    count(*) as order_count, cast(sum(total_price) as decimal(18, 2)) as total_order_value
from {refined}.orders group by 1, 2
""",
    "pricing_summary": """
select cast(date_trunc('month', shipped_on) as date) as shipped_month, return_flag, line_status,
    count(*) as line_count,
    cast(sum(quantity) as decimal(18, 2)) as total_quantity,
    cast(sum(extended_price) as decimal(18, 2)) as total_base_price,
    cast(sum(extended_price * (1 - discount_rate)) as decimal(18, 2)) as total_discounted_price,
    cast(sum(extended_price * (1 - discount_rate) * (1 + tax_rate)) as decimal(18, 2))
        as total_charged_price,
    cast(avg(quantity) as decimal(15, 2)) as average_quantity,
    cast(avg(extended_price) as decimal(15, 2)) as average_base_price,
    cast(avg(discount_rate) as decimal(15, 4)) as average_discount_rate
from {refined}.lineitems group by 1, 2, 3
""",
    "revenue_by_nation_and_year": """
with order_revenue as (
    select order_id, sum(extended_price * (1 - discount_rate)) as net_revenue
    from {refined}.lineitems group by 1
)
select year(o.ordered_on) as order_year, n.nation_name, n.region_name, count(*) as order_count,
    cast(sum(r.net_revenue) as decimal(18, 2)) as net_revenue
from {refined}.orders as o
inner join order_revenue as r on o.order_id = r.order_id
inner join {refined}.customers as c on o.customer_id = c.customer_id
inner join {refined}.nations as n on c.nation_id = n.nation_id
group by 1, 2, 3
""",
    "supplier_delivery_performance": """
with per_supplier_year as (
    select supplier_id, year(received_on) as delivery_year, count(*) as delivered_line_count,
        count_if(received_on > committed_on) as late_line_count,
        sum(greatest(datediff(received_on, committed_on), 0)) as total_days_late
    from {refined}.lineitems where line_status = 'F' group by 1, 2
)
select p.supplier_id, s.supplier_name, n.nation_name, cast(p.delivery_year as int) as delivery_year,
    p.delivered_line_count, p.late_line_count,
    cast(1 - p.late_line_count / p.delivered_line_count as decimal(5, 4)) as on_time_rate,
    cast(p.total_days_late / nullif(p.late_line_count, 0) as decimal(8, 2)) as average_days_late
from per_supplier_year as p
inner join {refined}.suppliers as s on p.supplier_id = s.supplier_id
left join {refined}.nations as n on s.nation_id = n.nation_id
""",
}


def landing_file(contract: Contract, landing: Path, generated: Path, history: str) -> Path:
    if "file" in contract.landing:
        return landing / contract.project / contract.source / history / contract.landing["file"]
    return tpch.source_file(contract, generated)  # the CRM's seed: customer.csv


def read_landing(spark, contracts: dict[str, Contract], landing, generated, history: str) -> None:
    """Each source file as a typed temp view `landing_<table>`."""
    from pyspark.sql import functions as F

    for table, contract in contracts.items():
        schema = ", ".join(f"`{c.name}` {c.data_type}" for c in contract.landing_columns)
        path = landing_file(contract, landing, generated, history)
        frame = (
            spark.read.csv(str(path), schema=schema, header=True, mode="FAILFAST")
            .withColumn("_batch_id", F.lit(history))
            .withColumn("_ingested_at", F.current_timestamp())
        )
        frame.createOrReplaceTempView(f"landing_{table}")


def data_lines(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(1 for _ in file) - 1  # minus the header


def write_iceberg(spark, frame, table: str, partitioning: str | None) -> None:
    from pyspark.sql import functions as F

    writer = frame.writeTo(table).using("iceberg")
    for key, value in PROPERTIES.items():
        writer = writer.tableProperty(key, value)
    if partitioning:
        column = partitioning.removeprefix("months(").removesuffix(")")
        writer = writer.partitionedBy(F.months(column))
    writer.createOrReplace()


def conform(spark, refined: str) -> None:
    """Landing views -> refined Iceberg tables: renamed, typed, latest version per key."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    for name, (source, renames, key, partitioning) in REFINED.items():
        frame = spark.table(f"landing_{source}").select(
            *[F.col(old).alias(new) for old, new in renames.items()],
            F.col("_batch_id").alias("batch_id"),
            F.col("_ingested_at").alias("ingested_at"),
        )
        latest = Window.partitionBy(*key).orderBy(F.desc("ingested_at"), F.desc("batch_id"))
        frame = frame.withColumn("_rank", F.row_number().over(latest))
        frame = frame.where("_rank = 1").drop("_rank")
        write_iceberg(spark, frame, f"{refined}.{name}", partitioning)
    write_iceberg(spark, spark.sql(NATIONS), f"{refined}.nations", None)


def compute_curated(spark, refined: str, curated: str) -> None:
    for name, sql in CURATED.items():
        write_iceberg(spark, spark.sql(sql.format(refined=refined)), f"{curated}.{name}", None)


def measure(generated: Path) -> dict:
    home = lakehouse_dir()
    domain = load_domain()
    refined, curated = domain.database("refined"), domain.database("curated")
    plan = tpch.plan(generated, daily=DAILY_BATCHES)
    tpch.land(generated, home / "landing", plan)
    contracts = {c.table: c for c in load_contracts().values() if c.table in tpch.TABLES}
    landing = home / "landing"
    rows = sum(
        data_lines(landing_file(c, landing, generated, plan.history)) for c in contracts.values()
    )
    with Timer() as start:
        from lakehouse_jobs.spark import get_spark

        spark = get_spark("bench-floor")
        spark.sparkContext.setLogLevel("ERROR")
    for layer in ("refined", "curated"):
        location = home / "warehouse" / "floor" / layer
        spark.sql(f"create database if not exists {domain.database(layer)} location '{location}'")
    with Timer() as total:
        with Timer() as refine:
            read_landing(spark, contracts, landing, generated, plan.history)
            conform(spark, refined)
        with Timer() as products:
            compute_curated(spark, refined, curated)
    counts = {}
    for database in (refined, curated):
        for table in spark.catalog.listTables(database):
            if not table.isTemporary:
                counts[table.name] = spark.table(f"{database}.{table.name}").count()
    return {
        "spark_start_s": start.seconds,
        "seconds": total.seconds,
        "stages_s": {"read, type, conform (refined)": refine.seconds, "curated": products.seconds},
        "source_rows": rows,
        "rows": counts,
        "memory": peak_memory_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=Path, required=True, help="TPC-H CSV folder")
    parser.add_argument("--out", type=Path, required=True, help="where to write the figures")
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(measure(args.generated), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
