"""Glue job: one batch of the reference geography files (nation, region) into raw."""

import sys

from lakehouse_jobs.file_job import run_file_ingestion

if __name__ == "__main__":
    sys.exit(run_file_ingestion(project="customers", source="geo", argv=sys.argv[1:]))
