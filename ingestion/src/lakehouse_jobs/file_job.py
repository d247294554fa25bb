"""A file ingestion job: one batch of a source's landing files into the raw layer."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lakehouse_jobs.contracts import load_contracts
from lakehouse_jobs.domain import load_domain
from lakehouse_jobs.paths import lakehouse_dir
from lakehouse_jobs.raw_writer import ensure_database, write_batch


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--BATCH_ID", required=True)
    parser.add_argument("--LANDING_ROOT", default=str(lakehouse_dir() / "landing"))
    parser.add_argument("--RAW_ROOT", default=str(lakehouse_dir() / "warehouse" / "raw"))
    args, _ = parser.parse_known_args(argv)  # Glue adds arguments of its own
    return args


def run_file_ingestion(project: str, source: str, argv: list[str]) -> int:
    from lakehouse_jobs.spark import get_spark

    args = parse_args(argv)
    domain = load_domain()
    spark = get_spark(f"{project}-{source}-ingestion")
    database = domain.database("raw")
    ensure_database(spark, database, f"{args.RAW_ROOT}")
    contracts = [c for c in load_contracts().values() if c.project == project and c.source == source]
    for contract in contracts:
        started = time.monotonic()
        path = Path(args.LANDING_ROOT) / project / source / args.BATCH_ID / contract.landing["file"]
        if not path.exists():
            raise FileNotFoundError(f"landing file missing for {source}.{contract.table}: {path}")
        from lakehouse_jobs.landing import read_landing_file

        df = read_landing_file(spark, str(path), contract, args.BATCH_ID)
        table = f"{database}.{contract.identifier}"
        write_batch(df, table, f"{args.RAW_ROOT}/{project}/{contract.identifier}")
        print(f"{table}: batch {args.BATCH_ID} loaded in {time.monotonic() - started:.1f}s")
    return 0
