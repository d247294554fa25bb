"""Sample data: TPC-H tables generated with tpchgen-cli, split into batches, dropped into the
landing zone as each source system would deliver them.

Batches (ids are dates, so they sort in delivery order):
- the history batch, id = the day before the cut-off: every order placed before the cut-off
  with its line items, plus the full reference files (nation, region, supplier, part,
  partsupp);
- one daily batch per order date from the cut-off to the last order date (DAILY_BATCHES days):
  that day's orders and their line items (a line item follows its order's date).
The customer table is not landed as a file: it lives in the CRM database (lakehouse.local.crm).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from lakehouse_jobs.contracts import load_contracts

TABLES = ("customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier")
DAILY_BATCHES = 3
DAILY_TABLES = ("orders", "lineitem")  # the ERP's daily files; the rest arrive once
ORDER_DATE_FIELD = 4  # o_orderdate in orders.csv


@dataclass(frozen=True)
class BatchPlan:
    history: str
    daily: tuple[str, ...]

    @property
    def batches(self) -> tuple[str, ...]:
        return (self.history, *self.daily)


def generate(scale_factor: str, out: Path) -> Path:
    """TPC-H CSV files of one scale factor, generated once and kept."""
    folder = out / f"sf{scale_factor}"
    if all((folder / f"{t}.csv").exists() for t in TABLES):
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    tpchgen = Path(sys.executable).parent / "tpchgen-cli"
    subprocess.run(
        [str(tpchgen), "csv", "-s", str(scale_factor), "--output-dir", str(partial)], check=True
    )
    shutil.rmtree(folder, ignore_errors=True)
    partial.replace(folder)
    return folder


def last_order_date(generated: Path) -> date:
    with open(generated / "orders.csv") as orders:
        next(orders)
        return max(date.fromisoformat(line.split(",")[ORDER_DATE_FIELD]) for line in orders)


def plan(generated: Path, daily: int = DAILY_BATCHES) -> BatchPlan:
    last = last_order_date(generated)
    cutoff = last - timedelta(days=daily - 1)
    days = tuple((cutoff + timedelta(days=i)).isoformat() for i in range(daily))
    return BatchPlan(history=(cutoff - timedelta(days=1)).isoformat(), daily=days)


def _batch_of(order_date: str, batches: BatchPlan) -> str:
    return order_date if order_date in batches.daily else batches.history


def split(generated: Path, batches: BatchPlan) -> Path:
    """orders.csv and lineitem.csv cut into one file per batch (kept: done once per plan)."""
    folder = generated / "batches" / f"{batches.history}+{len(batches.daily)}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    outputs: dict[tuple[str, str], object] = {}

    def out(table: str, batch: str, header: str):
        if (table, batch) not in outputs:
            path = folder / batch / f"{table}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            outputs[(table, batch)] = open(path, "w")  # noqa: SIM115 - closed below
            outputs[(table, batch)].write(header)
        return outputs[(table, batch)]

    try:
        for batch in batches.batches:
            for table in DAILY_TABLES:  # every batch has both files, even on a quiet day
                with open(generated / f"{table}.csv") as source:
                    out(table, batch, source.readline())
        order_batch: dict[str, str] = {}  # only orders outside the history batch
        with open(generated / "orders.csv") as orders:
            header = orders.readline()
            for line in orders:
                fields = line.split(",", 1)[0], line.split(",")[ORDER_DATE_FIELD]
                batch = _batch_of(fields[1], batches)
                if batch != batches.history:
                    order_batch[fields[0]] = batch
                out("orders", batch, header).write(line)
        with open(generated / "lineitem.csv") as lineitem:
            header = lineitem.readline()
            for line in lineitem:
                batch = order_batch.get(line.split(",", 1)[0], batches.history)
                out("lineitem", batch, header).write(line)
    finally:
        for file in outputs.values():
            file.close()
    (folder / ".complete").touch()
    return folder


def source_file(contract, generated: Path) -> Path:
    """The file a contract's source delivers: its own sample (`meta.landing.sample`, a path in
    the checkout, for sources that are not TPC-H, e.g. a scaffolded project), else TPC-H's."""
    sample = contract.landing.get("sample")
    if sample:
        from lakehouse_jobs.paths import repo_root

        return repo_root() / sample
    return generated / (contract.landing.get("file") or contract.landing.get("seed_file"))


def land(generated: Path, landing: Path, batches: BatchPlan) -> list[Path]:
    """Copies each contracted file into landing/<project>/<source>/<batch>/, as a source would."""
    daily = split(generated, batches)
    landed = []
    for contract in load_contracts().values():
        name = contract.landing.get("file")
        if not name:
            continue  # not a file source (e.g. the CRM database)
        is_daily = name.removesuffix(".csv") in DAILY_TABLES and "sample" not in contract.landing
        targets = batches.batches if is_daily else (batches.history,)
        for batch in targets:
            source = daily / batch / name if is_daily else source_file(contract, generated)
            target = landing / contract.project / contract.source / batch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            landed.append(target)
    return landed
