"""Glue job: one batch of the supply chain system's files (supplier, part, partsupp) into raw."""

import sys

from lakehouse_jobs.file_job import run_file_ingestion

if __name__ == "__main__":
    sys.exit(run_file_ingestion(project="supply", source="scm", argv=sys.argv[1:]))
