"""What a deployment ships: the dbt bundle the scheduled pipeline runs."""
