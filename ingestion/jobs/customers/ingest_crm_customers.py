"""Glue job: customers changed since the last batch, from the CRM's PostgreSQL database.

Reads public.customer over JDBC by its watermark column (c_updated_at); credentials from
configuration: CRM_SECRET_NAME on AWS, CRM_JDBC_URL / CRM_USER / CRM_PASSWORD locally.
"""

import sys

from lakehouse_jobs.jdbc_job import run_jdbc_ingestion

if __name__ == "__main__":
    sys.exit(run_jdbc_ingestion(project="customers", source="crm", argv=sys.argv[1:]))
