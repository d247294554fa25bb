"""The curated data products hold what the landing files say, typed as their contracts promise."""

import csv
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from lakehouse_state import database, is_iceberg, tables

pytestmark = pytest.mark.integration
CENT = Decimal("0.01")


def landing_rows(lakehouse, table):
    with open(lakehouse.generated / f"{table}.csv", newline="") as f:
        return list(csv.DictReader(f))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def manifest(lakehouse):
    return json.loads((lakehouse.target / "manifest.json").read_text())


def test_every_curated_model_is_an_iceberg_table_typed_as_its_contract(lakehouse, manifest):
    spark = lakehouse.spark
    curated = {
        f"{n['schema']}.{n['alias']}": n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["schema"] == database("curated")
    }
    assert len(curated) >= 6
    assert set(curated) == set(tables(spark, "curated"))
    for table, node in curated.items():
        assert node["config"]["contract"]["enforced"], table
        assert node["meta"].get("owner") or node["config"]["meta"].get("owner"), table
        assert is_iceberg(spark, table), table
        actual = {f.name: f.dataType.simpleString() for f in spark.table(table).schema}
        promised = {name: c["data_type"].replace(" ", "") for name, c in node["columns"].items()}
        assert actual == promised, table


def test_pricing_summary_matches_the_landing_order_lines_to_the_cent(lakehouse):
    groups = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    for line in landing_rows(lakehouse, "lineitem"):
        price, discount = Decimal(line["l_extendedprice"]), Decimal(line["l_discount"])
        key = (line["l_shipdate"][:7] + "-01", line["l_returnflag"], line["l_linestatus"])
        group = groups[key]
        group[0] += 1
        group[1] += Decimal(line["l_quantity"])
        group[2] += price
        group[3] += price * (1 - discount)
        group[4] += price * (1 - discount) * (1 + Decimal(line["l_tax"]))
    expected = {
        k: (n, cents(q), cents(p), cents(d), cents(c)) for k, (n, q, p, d, c) in groups.items()
    }
    actual = {
        (str(month), flag, status): tuple(values)
        for month, flag, status, *values in lakehouse.rows(
            "select shipped_month, return_flag, line_status, line_count, total_quantity, "
            "total_base_price, total_discounted_price, total_charged_price "
            "from cmr_curated.pricing_summary"
        )
    }
    assert actual == expected


def test_customer_lifetime_value_covers_every_customer_and_every_order(lakehouse):
    orders = landing_rows(lakehouse, "orders")
    customers = landing_rows(lakehouse, "customer")
    ((rows, total, prospects, prospects_with_orders),) = lakehouse.rows(
        "select count(*), sum(lifetime_value), count_if(value_segment = 'prospect'), "
        "count_if(value_segment = 'prospect' and order_count > 0) "
        "from cmr_curated.customer_lifetime_value"
    )
    buyers = {o["o_custkey"] for o in orders}
    assert rows == len(customers)
    assert total == sum(Decimal(o["o_totalprice"]) for o in orders)
    assert prospects == len(customers) - len(buyers)
    assert prospects_with_orders == 0


def test_snapshots_hold_one_current_version_per_customer_and_part(lakehouse):
    for history, key, landing in (
        ("customers_history", "customer_id", "customer"),
        ("parts_history", "part_id", "part"),
    ):
        ((current, keys),) = lakehouse.rows(
            f"select count(*), count(distinct {key}) from cmr_refined.{history} "
            "where dbt_valid_to is null"
        )
        assert current == keys == len(landing_rows(lakehouse, landing)), history
        assert is_iceberg(lakehouse.spark, f"cmr_refined.{history}")


def test_seeds_are_typed_explicitly(lakehouse):
    types = {
        f.name: f.dataType.simpleString()
        for f in lakehouse.spark.table("cmr_refined.ship_modes").schema
    }
    assert types["is_express"] == "boolean"
    (rank_type,) = [
        f.dataType.simpleString()
        for f in lakehouse.spark.table("cmr_refined.order_priorities").schema
        if f.name == "priority_rank"
    ]
    assert rank_type == "int"
    assert lakehouse.rows("select ship_mode from cmr_refined.ship_modes where is_express") == [
        ("AIR",)
    ]


def test_reconciliation_results_are_stored_for_audit(lakehouse):
    audit = [t for t in tables(lakehouse.spark, "audit") if ".reconciles_with_raw_" in t]
    # one per refined table fed by a raw table: customers, nations, orders, lineitems,
    # suppliers, parts, part_suppliers; all empty (nothing to reconcile)
    assert len(audit) == 7
    for table in audit:
        assert lakehouse.rows(f"select count(*) from {table}") == [(0,)], table
