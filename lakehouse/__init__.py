"""Tooling of the embedded local lakehouse: set-up, the `make run` pipeline, the SQL shell."""
