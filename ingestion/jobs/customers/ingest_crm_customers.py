"""Glue job: the CRM's customer table into raw (from its export file until the JDBC job lands)."""

import sys

from lakehouse_jobs.file_job import run_file_ingestion

if __name__ == "__main__":
    sys.exit(run_file_ingestion(project="customers", source="crm", argv=sys.argv[1:]))
