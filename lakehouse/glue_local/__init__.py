"""glue-local: an offline AWS Glue endpoint for the unmodified dbt-glue adapter.

It speaks the AWS JSON protocol for the Glue operations dbt-glue calls (interactive sessions and
statements, the Data Catalog), STS GetCallerIdentity and Lake Formation BatchGrantPermissions, and
runs the statements in a local PySpark session set up like the embedded lakehouse. Catalog
answers come from that same Spark catalog, so what dbt-glue sees is what Spark wrote.
Anything else is refused with UnknownOperationException: see docs/glue-local.md.
"""

from lakehouse.glue_local.server import GlueEmulator, start_server

__all__ = ["GlueEmulator", "start_server"]
