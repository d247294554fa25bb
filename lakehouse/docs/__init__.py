"""The dbt docs site (`make docs`) and dbt-glue's docs catalog."""
