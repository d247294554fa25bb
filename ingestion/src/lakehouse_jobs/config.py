"""Job configuration, from four sources in a fixed order of precedence:

1. explicit overrides (a job's Glue arguments, `--KEY value`, or a test's dict);
2. environment variables prefixed with the domain abbreviation (`CMR_ENV`, `CMR_RAW_ROOT`, ...);
3. a YAML (or JSON) file of `KEY: value` pairs named by `CONFIG_PATH` (itself an override,
   `CMR_CONFIG_PATH` or `CONFIG_PATH`);
4. defaults derived from domain.yml and where the job runs (see `Config.defaults`).

Lazy: nothing is read until a value is asked for, and no default needs the network unless a
run on AWS must find its account id (then STS, through the AWS guard).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from lakehouse_jobs.errors import ConfigError
from lakehouse_jobs.glue_args import config_key
from lakehouse_jobs.lineage import local_events_file

LOCAL_ENV = "local"
DEFAULT_MAX_REJECT_RATIO = "0.05"


class Config:
    def __init__(
        self,
        overrides: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
        domain=None,
    ) -> None:
        self._overrides = {config_key(k): str(v) for k, v in (overrides or {}).items()}
        self._environ = os.environ if environ is None else environ
        self._domain = domain

    # --- the sources, in precedence order -------------------------------------------------
    @cached_property
    def domain(self):
        if self._domain is None:
            from lakehouse_jobs.domain import load_domain

            self._domain = load_domain()
        return self._domain

    @property
    def env_prefix(self) -> str:
        return f"{self.domain.abbreviation.upper()}_"

    @cached_property
    def file_values(self) -> dict[str, str]:
        path = (
            self._overrides.get("CONFIG_PATH")
            or self._environ.get(f"{self.env_prefix}CONFIG_PATH")
            or self._environ.get("CONFIG_PATH")
        )
        if not path:
            return {}
        import yaml

        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"CONFIG_PATH names {path}, which is not a file")
        data = yaml.safe_load(file.read_text()) or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of KEY: value")
        return {config_key(str(k)): str(v) for k, v in data.items()}

    def source_of(self, key: str) -> str | None:
        """Which source a key's value comes from: override, env, file, default or None."""
        key = config_key(key)
        if key in self._overrides:
            return "override"
        if f"{self.env_prefix}{key}" in self._environ:
            return "env"
        if key in self.file_values:
            return "file"
        if key in self._default_keys:
            return "default"
        return None

    def get(self, key: str, default: str | None = None) -> str | None:
        key = config_key(key)
        source = self.source_of(key)
        if source == "override":
            return self._overrides[key]
        if source == "env":
            return self._environ[f"{self.env_prefix}{key}"]
        if source == "file":
            return self.file_values[key]
        if source == "default":
            return self._default_keys[key]()
        return default

    def require(self, key: str) -> str:
        value = self.get(key)
        if value in (None, ""):
            raise ConfigError(
                f"configuration {config_key(key)} is not set: pass --{config_key(key)} <value>, "
                f"set {self.env_prefix}{config_key(key)}, or add it to the CONFIG_PATH file"
            )
        return value

    def flag(self, key: str) -> bool:
        return str(self.get(key, "false")).strip().lower() in ("1", "true", "yes", "on")

    def number(self, key: str) -> float:
        value = self.require(key)
        try:
            return float(value)
        except ValueError:
            raise ConfigError(f"configuration {key}={value!r} is not a number") from None

    def with_overrides(self, **values: str) -> Config:
        return Config({**self._overrides, **values}, self._environ, self._domain)

    # --- defaults derived from the domain ---------------------------------------------------
    @property
    def on_aws(self) -> bool:
        from lakehouse_jobs.spark import running_on_glue

        return running_on_glue() or self.get("ENV", LOCAL_ENV) != LOCAL_ENV

    @cached_property
    def _default_keys(self) -> dict:
        from lakehouse_jobs.spark import running_on_glue

        return {
            "ENV": lambda: "dev" if running_on_glue() else LOCAL_ENV,
            "RAW_DATABASE": lambda: self.domain.database("raw"),
            "RAW_ROOT": lambda: self._storage_root("warehouse/raw", ""),
            "LANDING_ROOT": lambda: self._storage_root("landing", "landing"),
            "ARCHIVE_ROOT": lambda: self._storage_root("archive", "archive"),
            # per project, in its raw namespace and folder (the job role may write only there)
            "RUN_LOG_TABLE": lambda: (
                f"{self.get('RAW_DATABASE')}.{self.require('PROJECT')}___ingestion_runs"
            ),
            "MAX_REJECT_RATIO": lambda: DEFAULT_MAX_REJECT_RATIO,
            # locally the lakehouse keeps every lineage event (the table lineage_events reads it)
            "LINEAGE_EVENTS_FILE": lambda: "" if self.on_aws else str(local_events_file()),
            "ALLOW_AWS": lambda: "false",
        }

    def _storage_root(self, local_folder: str, bucket_prefix: str) -> str:
        """Locally a folder of the embedded lakehouse; on AWS a prefix of the raw bucket."""
        if not self.on_aws:
            from lakehouse_jobs.paths import lakehouse_dir

            return str(lakehouse_dir() / local_folder)
        bucket = self.domain.bucket("raw", self.require("ENV"), self.account_id())
        return f"s3://{bucket}/{bucket_prefix}".rstrip("/")

    def account_id(self) -> str:
        if self.get("ACCOUNT_ID"):
            return self.require("ACCOUNT_ID")
        from lakehouse_jobs.guard import aws_client

        return aws_client("sts", self).get_caller_identity()["Account"]


def job_config(argv: list[str], **overrides: str) -> Config:
    """A job's configuration: its Glue/command-line arguments override everything else."""
    from lakehouse_jobs.glue_args import parse_glue_args

    return Config({**parse_glue_args(argv), **overrides})
