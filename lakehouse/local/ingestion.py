"""The ingestion stage of `make run`: every job of every project, batch after batch.

File jobs run for the batches their source landed files for; JDBC jobs (the CRM) run for
every batch, reading what changed since the previous one. The CRM database is a real
PostgreSQL started for the stage and stopped after it.
"""

from __future__ import annotations

import os
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path

from lakehouse_jobs.contracts import Contract, load_contracts
from lakehouse_jobs.domain import load_domain

from lakehouse import projects
from lakehouse.local import crm, tpch


def job_contracts(script: Path) -> list[Contract]:
    """A script `ingestion/jobs/<project>/ingest_<source>_<what>.py` loads <source>'s tables."""
    project, source = script.parent.name, projects.job_source(script)
    return [c for c in load_contracts().values() if (c.project, c.source) == (project, source)]


def runs_in_batch(script: Path, landing: Path, batch_id: str) -> bool:
    contracts = job_contracts(script)
    if any("jdbc_table" in c.landing for c in contracts):
        return True
    return any((landing / c.project / c.source / batch_id).is_dir() for c in contracts)


def run_job(script: Path, batch_id: str) -> None:
    """Runs a job script the way Glue does (`--KEY value` arguments), in this process."""
    argv = sys.argv
    sys.argv = [str(script), "--BATCH_ID", batch_id]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        if done.code not in (0, None):
            raise RuntimeError(f"ingestion job {script} failed (exit code {done.code})") from None
    finally:
        sys.argv = argv


def run_ingestion(
    root: Path,
    home: Path,
    generated: Path,
    batches: tpch.BatchPlan,
    only: tuple[str, ...] | None = None,
) -> None:
    """Ingests every batch of the plan, or `only` those (e.g. the history now, a daily batch
    later: the CRM's watermark carries over between calls)."""
    landing = home / "landing"
    prefix = f"{load_domain().abbreviation.upper()}_"
    with crm.crm_server() as server:
        customers = crm.load_customers(
            server, generated / "customer.csv", f"{batches.history} 00:00:00"
        )
        print(f"    CRM PostgreSQL on 127.0.0.1:{server.port}: {customers} customers", flush=True)
        credentials = server.job_env(prefix)
        os.environ.update(credentials)
        try:
            for batch in only or batches.batches:
                for script in projects.job_scripts(root):
                    if runs_in_batch(script, landing, batch):
                        print(f"    batch {batch}: {script.relative_to(root)}", flush=True)
                        run_job(script, batch)
        finally:
            for key in credentials:
                os.environ.pop(key, None)


@dataclass(frozen=True)
class Reconciliation:
    table: str
    source_rows: int
    raw_rows: int
    quarantined: int

    @property
    def balanced(self) -> bool:
        return self.source_rows == self.raw_rows + self.quarantined


def _data_lines(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(1 for _ in file) - 1  # minus the header


def reconcile(spark, generated: Path) -> list[Reconciliation]:
    """Rows in each source (the generated files; the CRM was seeded from customer.csv)
    against rows in raw + quarantine."""
    database = load_domain().database("raw")
    found = []
    for contract in sorted(load_contracts().values(), key=lambda c: c.identifier):
        name = contract.landing.get("file") or contract.landing.get("seed_file")
        table = f"{database}.{contract.identifier}"
        if not name or not spark.catalog.tableExists(table):
            continue
        raw = spark.table(table).count()
        quarantined = spark.table(f"{table}__quarantine").count()
        source = tpch.source_file(contract, generated)
        found.append(Reconciliation(table, _data_lines(source), raw, quarantined))
    return found
