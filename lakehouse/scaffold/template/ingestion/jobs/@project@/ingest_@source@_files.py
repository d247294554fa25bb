"""Glue job: one batch of the @source@ source's landing files into the @project@ raw tables."""

import sys

from lakehouse_jobs.file_job import run_file_ingestion

if __name__ == "__main__":
    sys.exit(run_file_ingestion(project="@project@", source="@source@", argv=sys.argv[1:]))
