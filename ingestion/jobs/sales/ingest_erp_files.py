"""Glue job: one batch of the ERP's landing files (orders, lineitem) into the sales raw tables."""

import sys

from lakehouse_jobs.file_job import run_file_ingestion

if __name__ == "__main__":
    sys.exit(run_file_ingestion(project="sales", source="erp", argv=sys.argv[1:]))
