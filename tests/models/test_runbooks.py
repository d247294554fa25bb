"""The runbooks (docs/runbooks/) cannot rot: every `sh local` block runs, as written, in a shell
on the shared lakehouse, in the situation the page is for (a batch to replay, a failed gate,
a bad publish, a range to backfill, a secret to rotate, a project to onboard and offboard,
alarms to answer); the shared lakehouse is restored afterwards. The project's blocks write in a
copy of the repository."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import stat
import subprocess
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from checkout import ROOT, tracked_copy
from lakehouse_jobs.file_job import run_file_ingestion
from lakehouse_state import current_snapshot, database, fingerprints, tables
from test_source_freshness import project_with_erp_loaded_days_ago
from test_write_audit_publish import (
    RAW_CUSTOMERS,
    RAW_ORDERS,
    REFINED_ORDERS,
    UNKNOWN_CUSTOMER,
    drop_batch,
    inject,
    published,
    restore,
)

from lakehouse import gate, run_log
from lakehouse.local import crm, drop_project, gate_log, tpch
from lakehouse.local import gate as local_gate
from lakehouse.local.dbt import run_dbt

RUNBOOKS = ROOT / "docs" / "runbooks"
BLOCK = re.compile(r"^```sh (local|aws)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(page: str, kind: str = "local") -> list[str]:
    text = (RUNBOOKS / page).read_text()
    return [body for found, body in BLOCK.findall(text) if found == kind]


def run(block: str, home: Path, cwd: Path = ROOT, **env: str) -> str:
    return shell(block, home, cwd, **env).stdout


def shell(block: str, home: Path, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """One block in bash (-e: the first failing command fails it), as a user runs it."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=cwd, capture_output=True, text=True, timeout=900,
        env={**os.environ, "LAKEHOUSE_DIR": str(home), **env},
    )  # fmt: skip
    assert done.returncode == 0, (
        f"{block}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    )
    return done


def refresh(spark, names) -> None:
    """This process caches tables' files and Iceberg metadata; the blocks' processes wrote."""
    for name in names:
        spark.sql(f"refresh table {name}")


def test_every_runbook_has_local_and_aws_commands_and_is_listed():
    index = (RUNBOOKS / "README.md").read_text()
    pages = sorted(p.name for p in RUNBOOKS.glob("*.md") if p.name != "README.md")
    assert pages == [
        "backfill-a-date-range.md",
        "onboard-and-offboard-a-project.md",
        "recover-after-a-failed-gate.md",
        "rerun-or-replay-an-ingestion-batch.md",
        "respond-to-an-alarm.md",
        "roll-back-a-bad-publish.md",
        "rotate-the-crm-secret.md",
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
        refresh(spark, before)
        restore(spark, before)
    assert published(spark) == before


RAW_LINEITEMS = "cmr_raw.sales__lineitem"
REFINED_LINEITEMS = "cmr_refined.lineitems"
ALARM_BATCH = "1998-08-03"  # the day after the test lakehouse's last batch
BAD_SHIPDATE = "1998-02-30"
RUN_LOGS = ("cmr_raw.sales___ingestion_runs", gate_log.table())
ERP_TABLES = (
    RAW_ORDERS,
    RAW_LINEITEMS,
    f"{RAW_ORDERS}__quarantine",
    f"{RAW_LINEITEMS}__quarantine",
)


def land_next_days_erp_delivery(lakehouse) -> tuple[int, int]:
    """The ERP's files of ALARM_BATCH: the last batch's orders and line items under new keys, one
    order of a customer the CRM has not delivered, and a last line item of an impossible date.
    Returns the orders and line items read (the bad one included)."""
    archived = (
        lakehouse.home / "archive" / "sales" / "erp" / tpch.plan(lakehouse.generated).daily[-1]
    )
    landing = lakehouse.home / "landing" / "sales" / "erp" / ALARM_BATCH
    landing.mkdir(parents=True, exist_ok=True)
    [(offset,)] = lakehouse.rows(f"select max(o_orderkey) from {RAW_ORDERS}")
    counts = []
    for name in ("orders", "lineitem"):
        with open(archived / f"{name}.csv", newline="") as source:
            header, *rows = csv.reader(source)
        for row in rows:
            row[0] = str(int(row[0]) + offset)  # o_orderkey, l_orderkey
        if name == "orders":
            rows[0][1] = str(UNKNOWN_CUSTOMER)
            for row in rows:
                row[4] = ALARM_BATCH  # o_orderdate: a daily batch holds its day's orders
        else:
            rows.append([*rows[-1][:10], BAD_SHIPDATE, *rows[-1][11:]])  # l_shipdate
        with open(landing / f"{name}.csv", "w", newline="") as landed:
            csv.writer(landed, lineterminator="\n").writerows([header, *rows])
        counts.append(len(rows))
    return counts[0], counts[1]


def log_files(spark) -> dict[str, set[str]]:
    """The files of each run log (Parquet: a run appends files)."""
    refresh(spark, RUN_LOGS)
    return {log: set(spark.table(log).inputFiles()) for log in RUN_LOGS}


def share(rejected: int, read: int) -> str:
    """A reject ratio as the page's SQL prints it: rounded half up to 4 decimals."""
    return str((Decimal(rejected) / Decimal(read)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


@pytest.mark.integration
def test_each_alarms_run_is_found_with_its_figures(lakehouse, tmp_path, monkeypatch):
    """The situation: the ERP delivered nothing for three days when the domain's upstream stage
    checked its sources (stale-source); then its next day came with a line item that breaks its
    contract (reject-ratio) and an order of an unknown customer (gate-failed)."""
    spark = lakehouse.spark
    before, logs_before = published(spark), log_files(spark)
    counts = f"select _batch_id, count(*) from {RAW_LINEITEMS} group by 1"
    raw_before = dict(lakehouse.rows(counts))
    try:
        with monkeypatch.context() as patched:
            patched.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))  # the shared one stays
            stale = gate.dbt_runner(str(project_with_erp_loaded_days_ago(tmp_path, 3)))
            checked = gate.run(stale, stages=("upstream",), narrow="source:erp.orders")
        assert checked.success and [str(r.status) for r in checked.freshness] == ["warn"]
        orders, items = land_next_days_erp_delivery(lakehouse)
        assert run_file_ingestion("sales", "erp", ["--BATCH_ID", ALARM_BATCH]) == 0
        failed = gate.run(run_dbt, narrow="orders+")
        for outcome, stage in ((checked, "upstream"), (failed, "all")):
            gate_log.append(spark, run_log.record(outcome, None, stage))  # as make gate keeps it
        gate_shown, job_shown = (run(b, lakehouse.home) for b in blocks("respond-to-an-alarm.md"))

        # the gate's last runs: failed on the relationship; before, one source stale
        (test,) = [r.node.unique_id for r in failed.result if str(r.status) == "fail"]
        assert test.startswith("test.lakehouse.relationships_orders_customer_id__"), test
        runs = re.findall(
            r"^\S+ \S+ \| domain \| (\w+) +\| (\w+) +\| +(\d+) \| +(\d+) \| (.+)$", gate_shown, re.M
        )
        assert runs[:2] == [
            ("all", "failed", "1", "0", f'["{test}"]'),
            ("upstream", "passed", "0", "1", "[]"),
        ], gate_shown
        # each source as last checked: the ERP's orders three days and more behind, the rest fresh
        lags = re.findall(r"^(\w+\.\w+) +\| (\w+) +\| +(\d+\.\d) \|", gate_shown, re.M)
        assert lags[0][:2] == ("erp.orders", "warn") and 72 <= float(lags[0][2]) < 96, lags
        assert {status for _, status, _ in lags[1:]} == {"pass"}, lags

        # the job's run per table, the share rejected, the job's share; the rejected line
        ratios = re.findall(
            rf"^{ALARM_BATCH} \| cmr_raw\.sales__(\w+) +\| SUCCEEDED \| +(\d+) \| +(\d+) \| "
            r"+([\d.]+) \| +([\d.]+)$", job_shown, re.M,
        )  # fmt: skip
        job = share(1, items + orders)
        assert ratios == [
            ("lineitem", str(items), "1", share(1, items), job),
            ("orders", str(orders), "0", "0.0", job),
        ], job_shown
        line, why = 1 + items, f"l_shipdate: '{BAD_SHIPDATE}' is not a valid date"  # 1: header
        assert re.search(
            rf"^{ALARM_BATCH} \| lineitem +\| +{line} \| {re.escape(why)}$", job_shown, re.M
        ), job_shown
        assert job_shown.endswith("(1 row)\n"), "no order was rejected"
    finally:
        refresh(spark, [*before, *ERP_TABLES])
        restore(spark, before)
        for table in ERP_TABLES:
            if (f"_batch_id={ALARM_BATCH}",) in lakehouse.rows(f"show partitions {table}"):
                drop_batch(spark, table, ALARM_BATCH)
        for kept in ("landing", "archive"):
            shutil.rmtree(lakehouse.home / kept / "sales" / "erp" / ALARM_BATCH, ignore_errors=True)
        for log, files in log_files(spark).items():
            for appended in files - logs_before[log]:
                Path(urlparse(appended).path).unlink()
    assert published(spark) == before
    assert dict(lakehouse.rows(counts)) == raw_before
    assert log_files(spark) == logs_before


@pytest.mark.integration
def test_a_range_is_backfilled_oldest_first_gated_and_reconciled(lakehouse, tmp_path):
    """The situation: two past days of sales never reached raw nor refined (their files are in
    the archive); the day after them is published."""
    spark = lakehouse.spark
    before = published(spark)
    state = local_gate.state_dir(lakehouse.home)  # what the domain's gate last published
    kept = shutil.copytree(state, tmp_path / "gate-state")
    *missing, newest = tpch.plan(lakehouse.generated).daily
    counts = f"select _batch_id, count(*) from {RAW_ORDERS} group by 1"
    raw_before = dict(lakehouse.rows(counts))
    spark.conf.unset("spark.wap.branch")  # a gated run in this session may have left it set
    for table, refined in ((RAW_ORDERS, REFINED_ORDERS), (RAW_LINEITEMS, REFINED_LINEITEMS)):
        for batch in missing:
            drop_batch(spark, table, batch)
        spark.sql(f"delete from {refined} where batch_id in {tuple(missing)}")
    try:
        inspect, ingest, reconcile = blocks("backfill-a-date-range.md")
        shown = run(inspect, lakehouse.home)
        assert re.findall(r"^\s*(\d{4}-\d\d-\d\d) \|", shown, re.M) == [newest, newest], shown
        ingested = run(ingest, lakehouse.home)
        assert [line for line in ingested.splitlines() if line.startswith("    batch ")] == [
            f"    batch {batch}: ingestion/jobs/sales/ingest_erp_files.py" for batch in missing
        ]
        assert ingested.endswith(f"\ningested 2 batch(es): {' '.join(missing)}\n"), ingested
        shown = run(reconcile, lakehouse.home)
        assert "gate: the domain: every node passed; published from branch audit_domain" in shown
        rows = re.findall(r"^\s*(\S+) \|\s*(\d+) \|\s*(\d+) \| (.+)$", shown, re.M)
        # the older days were ingested, hence merged, after the newer day published before
        assert [batch for batch, *_ in rows] == [newest, *missing], shown
        assert all(raw == refined == str(raw_before[b]) for b, raw, refined, _ in rows), rows
        # the data products are those of before the loss, the other projects' ones too
        products = tables(spark, "curated")
        refresh(spark, products)
        assert fingerprints(spark, "curated") == {t: before[t][1] for t in products}
    finally:
        refresh(spark, [*before, RAW_ORDERS, RAW_LINEITEMS])
        restore(spark, before)
        shutil.rmtree(state)
        shutil.copytree(kept, state)
    assert published(spark) == before
    assert dict(lakehouse.rows(counts)) == raw_before


CRM_JOB = "customers-ingest-crm"


@pytest.mark.integration
def test_the_crm_secret_is_rotated_and_the_old_password_refused(lakehouse):
    secret = crm.secret_file(lakehouse.home)
    old = json.loads(secret.read_text())["password"]
    runs = f"select count(*) from cmr_raw.customers___ingestion_runs where job_name = '{CRM_JOB}'"
    [(runs_before,)] = lakehouse.rows(runs)
    change, rerun, refused = blocks("rotate-the-crm-secret.md")

    run(change, lakehouse.home)
    rotated = json.loads(secret.read_text())
    assert rotated["password"] != old and rotated["username"] == crm.READER
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert json.loads(secret.with_suffix(".json.previous").read_text())["password"] == old
    newest = tpch.plan(lakehouse.generated).daily[-1]
    assert run(rerun, lakehouse.home).endswith(f"ingested 1 batch(es): {newest}\n")
    refresh(lakehouse.spark, ["cmr_raw.customers___ingestion_runs"])
    [(runs_after,)] = lakehouse.rows(runs)
    last = lakehouse.rows(
        "select batch_id, status from cmr_raw.customers___ingestion_runs "
        f"where job_name = '{CRM_JOB}' order by ended_at desc limit 1"
    )
    assert (runs_after, last) == (runs_before + 1, [(newest, "SUCCEEDED")])
    checked = shell(refused, lakehouse.home)
    assert 'password authentication failed for user "crm_ingestion"' in checked.stderr
    assert not secret.with_suffix(".json.previous").exists()


def expected_stock(sample: Path) -> list[tuple]:
    """The scaffold's data product computed from its sample file: per category, items,
    quantity and value."""
    stock: dict[str, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    with open(sample) as rows:
        for row in csv.DictReader(rows):
            totals = stock[row["category"]]
            totals[0] += 1
            totals[1] += int(row["quantity"])
            totals[2] += int(row["quantity"]) * Decimal(row["unit_price"])
    return sorted((category, *totals) for category, totals in stock.items())


def catalog(spark) -> dict[str, list[str]]:
    """Every table and view of the lakehouse, per database."""
    found = {}
    for layer in ("raw", "staging", "refined", "curated", "audit"):
        name = database(layer)
        if spark.catalog.databaseExists(name):
            found[name] = sorted(
                t.name for t in spark.catalog.listTables(name) if not t.isTemporary
            )
    return found


def commit(checkout: Path, message: str) -> None:
    """Everything in the checkout, committed (the copy is a git repository of its own)."""
    git = ["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", message], check=True)


@pytest.mark.integration
def test_a_project_is_onboarded_then_offboarded_and_the_lakehouse_is_as_before(lakehouse, tmp_path):
    """In a copy of the repository (a git checkout of its own) on the shared lakehouse, which
    the offboarding leaves as it was."""
    spark = lakehouse.spark
    before, tables_before = published(spark), catalog(spark)
    checkout = tracked_copy(ROOT, tmp_path / "checkout")
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["git", "init", "-q", "-b", "main", str(checkout)], check=True)
    commit(checkout, "main")
    env = {
        "DBT_TARGET_PATH": str(checkout / "target"),  # never the shared lakehouse's manifest
        "DBT_LOG_PATH": str(checkout / "logs"),
        "DBT_PROFILES_DIR": str(checkout / "profiles"),
    }
    scaffold, onboard, drop, check = blocks("onboard-and-offboard-a-project.md")
    try:
        assert "created models/inventory/curated/" in run(scaffold, lakehouse.home, checkout, **env)
        shown = run(onboard, lakehouse.home, checkout, **env)
        assert "gate: project inventory: every node passed; published from branch " in shown
        sample = checkout / "ingestion/jobs/inventory/samples/items.csv"
        assert lakehouse.rows(
            "select * from cmr_curated.inventory_stock_by_category order by item_category"
        ) == expected_stock(sample)
        # retired in an earlier release: its data product's deprecation date has passed
        models = checkout / "models/inventory/curated/_curated__models.yml"
        text = models.read_text().replace(
            "  - name: inventory_stock_by_category\n",
            "  - name: inventory_stock_by_category\n    deprecation_date: 2020-01-01\n",
        )
        models.write_text(text)
        commit(checkout, "inventory, its data product deprecated")

        dropped = run(drop, lakehouse.home, checkout, **env)
        for name in (
            "cmr_raw.inventory__items",
            "cmr_raw.inventory__items__quarantine",
            "cmr_raw.inventory___ingestion_runs",
            "cmr_staging.stg_inventory__items",
            "cmr_refined.inventory_items",
            "cmr_curated.inventory_stock_by_category",
            "warehouse/curated/inventory/",
            "archive/inventory/",
            "gate-state/inventory/",
        ):
            assert f"  dropped {name}\n" in dropped, dropped
        assert not (checkout / "models/inventory").exists()
        assert " contracted table(s) of HEAD unbroken" in run(
            check, lakehouse.home, checkout, **env
        )
    finally:  # whatever a failure left of the project
        for name, listed in catalog(spark).items():
            for table in set(listed) - set(tables_before.get(name, [])):
                kind = "view" if name == database("staging") else "table"
                spark.sql(f"drop {kind} if exists {name}.{table}")
        for leftover in drop_project.folders(lakehouse.home, "inventory"):
            shutil.rmtree(leftover, ignore_errors=True)
    assert catalog(spark) == tables_before
    refresh(spark, before)
    assert published(spark) == before
