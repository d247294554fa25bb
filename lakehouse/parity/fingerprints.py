"""Fingerprints of relations and the comparison of two builds, for `make parity`.

Each relation (model, seed, snapshot) gets its kind (view / iceberg / parquet), columns and
types, row count and an order-independent checksum, with one per column to tell which column
differs. The functions run inside a Spark process: the reference's, or glue-local's (through a
session statement).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# Columns that record WHEN data was loaded or snapshotted, not what it is: two builds of the
# same data differ there. They are compared by name and type, left out of the checksums.
RUN_TIME_COLUMN = re.compile(
    r"^(dbt_scd_id|dbt_updated_at|dbt_valid_from|dbt_valid_to|\w*ingested_at)$"
)
NODE_TYPES = ("model", "seed", "snapshot")


def relation_kind(spark, relation: str) -> str:
    """view, or the table's provider (iceberg, parquet)."""
    details = {r[0]: r[1] for r in spark.sql(f"describe table extended {relation}").collect()}
    if details.get("Type") == "VIEW":
        return "view"
    return (details.get("Provider") or "unknown").lower()


def _hash_sum(expression: str) -> str:
    return f"cast(coalesce(sum(cast(xxhash64({expression}) as decimal(38, 0))), 0) as string)"


def table_fingerprints(spark, relations: list[str]) -> dict[str, dict]:
    """Per relation: kind, columns and types, row count, a checksum that ignores row order (the
    sum of a hash of each row's values) and one per column, to tell which column differs."""
    prints: dict[str, dict] = {}
    for relation in relations:
        if not spark.catalog.tableExists(relation):
            prints[relation] = {"missing": True}
            continue
        columns = {f.name: f.dataType.simpleString() for f in spark.table(relation).schema.fields}
        compared = [n for n in sorted(columns) if not RUN_TIME_COLUMN.match(n)]
        sums = [_hash_sum(", ".join(f"`{n}`" for n in compared))] + [
            _hash_sum(f"`{n}`") for n in compared
        ]
        rows, checksum, *per_column = spark.sql(
            f"select count(*), {', '.join(sums)} from {relation}"
        ).first()
        prints[relation] = {
            "kind": relation_kind(spark, relation),
            "columns": columns,
            "rows": rows,
            "checksum": checksum,
            "column_checksums": dict(zip(compared, per_column, strict=True)),
        }
    return prints


def source_tables(manifest_path: Path) -> list[str]:
    """schema.identifier of every dbt source: the raw data both builds must share."""
    sources = json.loads(manifest_path.read_text())["sources"].values()
    return sorted({f"{s['schema']}.{s['identifier']}" for s in sources})


def source_ddl(spark, tables: list[str]) -> dict[str, dict]:
    """Per existing source table: `show create table` and its partitions with their locations
    (ingestion may place partitions outside Hive's `key=value` folders)."""
    found = {}
    for table in tables:
        if not spark.catalog.tableExists(table):
            continue
        create = spark.sql(f"show create table {table}").first()[0]
        partitions = []
        if "PARTITIONED BY" in create:
            for (name,) in spark.sql(f"show partitions {table}").collect():
                spec = ", ".join(
                    f"{k} = '{v}'" for k, v in (part.split("=", 1) for part in name.split("/"))
                )
                details = spark.sql(f"describe formatted {table} partition ({spec})").collect()
                location = next(r[1] for r in details if r[0] == "Location")
                partitions.append([spec, location])
        found[table] = {"create": create, "partitions": partitions}
    return found


def manifest_relations(manifest_path: Path) -> dict[str, str]:
    """unique_id -> schema.alias of every model, seed and snapshot that dbt materializes."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    return {
        uid: f"{node['schema']}.{node['alias']}"
        for uid, node in nodes.items()
        if node["resource_type"] in NODE_TYPES and node["config"]["materialized"] != "ephemeral"
    }


def compare(reference: dict[str, dict], glue: dict[str, dict]) -> list[str]:
    """Every difference between two sets of fingerprints, as readable lines (empty = parity)."""
    problems = []
    for relation in sorted(set(reference) | set(glue)):
        ref, other = (
            reference.get(relation, {"missing": True}),
            glue.get(relation, {"missing": True}),
        )
        if ref.get("missing") or other.get("missing"):
            if ref.get("missing") != other.get("missing"):
                side = "glue" if other.get("missing") else "local"
                problems.append(f"{relation}: missing on {side}")
            continue
        if ref["kind"] != other["kind"]:
            problems.append(f"{relation}: a {ref['kind']} on local, a {other['kind']} on glue")
        if ref["columns"] != other["columns"]:
            changed = {
                c: (ref["columns"].get(c), other["columns"].get(c))
                for c in sorted(set(ref["columns"]) | set(other["columns"]))
                if ref["columns"].get(c) != other["columns"].get(c)
            }
            problems.append(f"{relation}: columns differ (local, glue): {changed}")
        elif (ref["rows"], ref["checksum"]) != (other["rows"], other["checksum"]):
            ref_sums, other_sums = (
                ref.get("column_checksums", {}),
                other.get("column_checksums", {}),
            )
            columns = [c for c in ref_sums if ref_sums[c] != other_sums.get(c)]
            problems.append(
                f"{relation}: rows differ: local {ref['rows']} rows, glue {other['rows']} rows"
                + (f", in columns {columns}" if columns else "")
            )
    return problems


# Nodes dbt runs nothing for: `dbt build` reports them "no-op" (dbt 1.10), which is their pass.
NOTHING_TO_RUN = ("exposure.", "saved_query.", "semantic_model.", "metric.")


def failed_nodes(run_results_path: Path) -> list[str]:
    results = json.loads(run_results_path.read_text())["results"]
    return [
        f"{r['unique_id']}: {r['status']}"
        for r in results
        if r["status"] not in ("success", "pass")
        and not (r["status"] == "no-op" and r["unique_id"].startswith(NOTHING_TO_RUN))
    ]


def uncatalogued(catalog_path: Path, manifest_path: Path) -> list[str]:
    """Models, seeds and snapshots that `dbt docs generate` left out of catalog.json."""
    catalog = json.loads(catalog_path.read_text())["nodes"]
    return sorted(uid for uid in manifest_relations(manifest_path) if uid not in catalog)
