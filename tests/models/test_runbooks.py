"""The runbooks (docs/runbooks/) cannot rot: every `sh local` block runs, as written, in a shell
on the shared lakehouse, in the situation the page is for (a batch to replay, a failed gate,
a bad publish); the shared lakehouse is restored afterwards."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from checkout import ROOT
from lakehouse_state import current_snapshot
from test_write_audit_publish import (
    RAW_CUSTOMERS,
    RAW_ORDERS,
    REFINED_ORDERS,
    UNKNOWN_CUSTOMER,
    inject,
    published,
    restore,
)

from lakehouse import gate
from lakehouse.local.dbt import run_dbt

RUNBOOKS = ROOT / "docs" / "runbooks"
BLOCK = re.compile(r"^```sh (local|aws)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(page: str, kind: str = "local") -> list[str]:
    text = (RUNBOOKS / page).read_text()
    return [body for found, body in BLOCK.findall(text) if found == kind]


def run(block: str, home: Path) -> str:
    """One block in bash (-e: the first failing command fails it), as a user runs it."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, "LAKEHOUSE_DIR": str(home)},
    )  # fmt: skip
    assert done.returncode == 0, (
        f"{block}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    )
    return done.stdout


def test_every_runbook_has_local_and_aws_commands_and_is_listed():
    index = (RUNBOOKS / "README.md").read_text()
    pages = sorted(p.name for p in RUNBOOKS.glob("*.md") if p.name != "README.md")
    assert pages == [
        "recover-after-a-failed-gate.md",
        "rerun-or-replay-an-ingestion-batch.md",
        "roll-back-a-bad-publish.md",
    ]
    for page in pages:
        assert f"]({page})" in index, f"{page} is not listed in docs/runbooks/README.md"
        assert blocks(page, "local") and blocks(page, "aws"), page


@pytest.mark.integration
def test_replaying_a_batch_from_the_archive_replaces_it(lakehouse):
    spark = lakehouse.spark
    batch = "1998-08-02"
    query = f"select count(*), sum(o_totalprice) from {RAW_ORDERS} where _batch_id = '{batch}'"
    before = lakehouse.rows(query)
    landing = lakehouse.home / "landing" / "sales" / "erp" / batch
    kept = lakehouse.home / "landing-kept"
    shutil.move(landing, kept)  # landing cleaned: only the archive has the file
    try:
        inspected, rerun = (
            run(b, lakehouse.home) for b in blocks("rerun-or-replay-an-ingestion-batch.md")
        )
    finally:
        shutil.move(kept, landing)
    assert "sales-ingest-erp" in inspected and "SUCCEEDED" in inspected
    [(orders, _)] = before
    # Q= prints psv: the batch, its orders, the archived file they came from
    assert re.search(
        rf"^{batch}\|{orders}\|file:\S*/archive/sales/erp/{batch}/orders\.", rerun, re.M
    ), rerun
    spark.sql(f"refresh table {RAW_ORDERS}")
    assert lakehouse.rows(query) == before, "the batch replaced, not added"


@pytest.mark.integration
def test_a_failed_gate_is_recovered_then_a_bad_publish_rolled_back(lakehouse):
    spark = lakehouse.spark
    before = published(spark)
    product = "cmr_curated.order_volume_by_month"
    order_id = spark.table(RAW_ORDERS).agg({"o_orderkey": "max"}).first()[0] + 1
    inject(spark, RAW_ORDERS, {"o_orderkey": order_id, "o_custkey": UNKNOWN_CUSTOMER})
    try:
        failed = gate.run(run_dbt, narrow="orders+")  # the situation: a failed gate
        assert not failed.success and not failed.published
        inspect, rebuild = blocks("recover-after-a-failed-gate.md")
        shown = run(inspect, lakehouse.home)
        # the failing row dbt stored, the unpublished order on the branch, main's orders
        assert re.search(rf"^from_field\n-+\n +{UNKNOWN_CUSTOMER}\n\(1 row\)$", shown, re.M), shown
        assert re.search(rf"^ *{order_id} \| +{UNKNOWN_CUSTOMER} \| ", shown, re.M), shown
        orders = before[REFINED_ORDERS][1][0]
        assert re.search(rf"^published_orders\n-+\n +{orders}\n\(1 row\)$", shown, re.M), shown
        # the fix: the customer arrives
        inject(spark, RAW_CUSTOMERS, {"c_custkey": UNKNOWN_CUSTOMER})
        rebuilt = run(rebuild, lakehouse.home)
        spark.sql(f"refresh table {product}")
        assert "gate: the domain: every node passed; published from branch audit_domain" in rebuilt
        assert rebuilt.endswith("\nname\nmain\n"), rebuilt[-300:]  # only main is left
        published_product = current_snapshot(spark, product)
        assert published_product != before[product][0]

        history, rollback = blocks("roll-back-a-bad-publish.md")
        assert str(published_product) in run(history, lakehouse.home)
        run(rollback, lakehouse.home)
        spark.sql(f"refresh table {product}")
        assert current_snapshot(spark, product) == before[product][0]
    finally:
        for table in before:  # this process's Iceberg catalog caches what the shell's changed
            spark.sql(f"refresh table {table}")
        restore(spark, before)
    assert published(spark) == before
