"""The embedded local lakehouse: `make run`'s pipeline, its ingestion stage, the in-process dbt
runner, `make sql`, the Iceberg jars, the CRM database and the TPC-H sample data."""
