"""The commerce domain's ingestion job library: a wheel on AWS Glue, run locally as is."""

__version__ = "0.1.0"  # the wheel's version: terraform's job_library_key names it
