"""The ingestion stage of `make run`: every job of every project, batch after batch; and
`make ingest`, the same for the batches you name (a backfill, a replay).

File jobs run for the batches their source delivered files for (a folder of the batch in
landing/, or in archive/ once ingested: a replay); JDBC jobs (the CRM) run for every batch,
reading what changed since the previous one, from the lakehouse's CRM (a real PostgreSQL,
lakehouse.local.crm), which runs for the stage and stops after it.

    python -m lakehouse.local.ingestion [--project P] BATCH ...         # make ingest BATCHES=...
    python -m lakehouse.local.ingestion [--project P] --from A --to B   # make ingest FROM= TO=

run the jobs (of one project, or all) for each batch, oldest first; --from/--to take every
batch delivered from A to B (landing/ or archive/). The first failed job stops the run, exit 1.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from lakehouse_jobs.contracts import Contract, load_contracts
from lakehouse_jobs.domain import load_domain

from lakehouse import projects
from lakehouse.local import crm, tpch

DELIVERIES = ("landing", "archive")  # where a batch's files are: landed, or kept for replay


class JobFailed(RuntimeError):
    pass


def job_contracts(script: Path) -> list[Contract]:
    """A script `ingestion/jobs/<project>/ingest_<source>_<what>.py` loads <source>'s tables."""
    project, source = script.parent.name, projects.job_source(script)
    return [c for c in load_contracts().values() if (c.project, c.source) == (project, source)]


def reads_a_database(script: Path) -> bool:
    return any("jdbc_table" in c.landing for c in job_contracts(script))


def runs_in_batch(script: Path, home: Path, batch_id: str) -> bool:
    if reads_a_database(script):
        return True
    return any(
        (home / area / c.project / c.source / batch_id).is_dir()
        for c in job_contracts(script)
        for area in DELIVERIES
    )


def delivered_batches(home: Path) -> list[str]:
    """Every batch some file source delivered, landed or archived, in order."""
    found: set[str] = set()
    for contract in load_contracts().values():
        for area in DELIVERIES:
            folder = home / area / contract.project / contract.source
            if "file" in contract.landing and folder.is_dir():
                found |= {batch.name for batch in folder.iterdir() if batch.is_dir()}
    return sorted(found)


def run_job(script: Path, batch_id: str) -> None:
    """Runs a job script the way Glue does (`--KEY value` arguments), in this process."""
    argv = sys.argv
    sys.argv = [str(script), "--BATCH_ID", batch_id]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        if done.code not in (0, None):
            raise JobFailed(
                f"ingestion job {script} failed for batch {batch_id} (exit code {done.code})"
            ) from None
    finally:
        sys.argv = argv


@contextmanager
def crm_for_jobs(home: Path, sample: tuple[Path, str] | None = None) -> Iterator[None]:
    """The lakehouse's CRM running, its secret file named for the JDBC job. `sample`
    (customer.csv, changed-at timestamp): load the CRM with it first, creating the CRM at its
    first use (make run); without, the CRM must exist."""
    with crm.lakehouse_crm(home, create=sample is not None) as server:
        if sample:
            customers = crm.load_customers(server, *sample)
            port = server.port
            print(f"    CRM PostgreSQL on 127.0.0.1:{port}: {customers} customers", flush=True)
        key = f"{load_domain().abbreviation.upper()}_CRM_SECRET_FILE"
        os.environ[key] = str(crm.secret_file(home))
        try:
            yield
        finally:
            os.environ.pop(key, None)


def run_batches(root: Path, home: Path, batches: Sequence[str], project: str | None = None):
    """Each job (of `project`, or of every project) for each batch it runs in, in order."""
    for batch in batches:
        for script in projects.job_scripts(root, project):
            if runs_in_batch(script, home, batch):
                print(f"    batch {batch}: {script.relative_to(root)}", flush=True)
                run_job(script, batch)


def run_ingestion(
    root: Path,
    home: Path,
    generated: Path,
    batches: tpch.BatchPlan,
    only: tuple[str, ...] | None = None,
) -> None:
    """Ingests every batch of the plan, or `only` those (e.g. the history now, a daily batch
    later: the CRM's watermark carries over between calls)."""
    with crm_for_jobs(home, (generated / "customer.csv", f"{batches.history} 00:00:00")):
        run_batches(root, home, only or batches.batches)


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


def chosen_batches(home: Path, named: Sequence[str], first: str | None, last: str | None):
    """The batches named, or those delivered from `first` to `last`; oldest first, because
    a JDBC job reads from the batch before and the latest version of a key wins."""
    if named:
        return sorted(set(named))
    return [b for b in delivered_batches(home) if (first or "") <= b <= (last or "\uffff")]


def main(argv: list[str] | None = None) -> int:
    from lakehouse_jobs.paths import lakehouse_dir, repo_root

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("batches", nargs="*", help="batch ids, e.g. 1998-08-01")
    parser.add_argument("--project", help="one project's jobs (default: every project's)")
    parser.add_argument("--from", dest="first", help="the first batch of a range")
    parser.add_argument("--to", dest="last", help="the last batch of a range")
    args = parser.parse_args(argv)
    root, home = repo_root(), lakehouse_dir()
    known = projects.projects(root)
    if args.project and args.project not in known:
        print(f"error: no project {args.project} (projects: {', '.join(known)})", file=sys.stderr)
        return 2
    if bool(args.batches) == bool(args.first or args.last):
        print("error: name the batches, or a range with --from and --to", file=sys.stderr)
        return 2
    batches = chosen_batches(home, args.batches, args.first, args.last)
    if not batches:
        where = f"{home / 'landing'} or {home / 'archive'}"
        print(f"error: no batch from {args.first} to {args.last} in {where}", file=sys.stderr)
        return 2
    jobs = projects.job_scripts(root, args.project)
    try:
        with crm_for_jobs(home) if any(map(reads_a_database, jobs)) else nullcontext():
            run_batches(root, home, batches, args.project)
    except JobFailed as failed:
        print(f"error: {failed}; the batches after it were not run", file=sys.stderr)
        return 1
    except crm.PostgresUnavailable as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    print(f"ingested {len(batches)} batch(es): {' '.join(batches)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
