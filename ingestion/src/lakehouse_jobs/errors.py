"""The ways an ingestion can fail on purpose: each says what is wrong and where, exit code 1."""

from __future__ import annotations


class IngestionError(Exception):
    """A batch that cannot be ingested as it is; nothing of it was written."""


class ConfigError(IngestionError):
    """A configuration value is missing or malformed."""


class LandingFileError(IngestionError):
    """A landing file is missing, empty or unreadable."""


class SourceAccessError(IngestionError):
    """A source database cannot be read: unreachable, or it refused the job's login."""


class SchemaDriftError(IngestionError):
    """The source's columns differ from its contract."""


class RejectThresholdExceeded(IngestionError):
    """Too many rows of a batch break the contract to trust the rest."""


class AwsAccessRefused(IngestionError):
    """A local run would have reached a real AWS account."""
