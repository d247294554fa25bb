"""The domain configuration (domain.yml) and the naming rules derived from it (docs/naming.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from lakehouse_jobs.paths import domain_file

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Domain:
    name: str
    abbreviation: str
    description: str
    owner: str
    region: str
    country_code: str
    environments: tuple[str, ...]
    layers: tuple[str, ...]

    def database(self, layer: str, developer: str | None = None) -> str:
        """Glue database / dbt schema of a layer; a developer's dev build gets its own."""
        if layer not in (*self.layers, "staging", "audit"):
            raise ValueError(f"unknown layer {layer!r}: domain.yml declares {list(self.layers)}")
        base = f"{self.abbreviation}_{layer}"
        return f"{base}_{developer}" if developer else base

    def raw_table(self, project: str, entity: str) -> str:
        return f"{self.database('raw')}.{project}__{entity}"

    def quarantine_table(self, project: str, entity: str) -> str:
        return f"{self.raw_table(project, entity)}__quarantine"

    def _check_environment(self, environment: str) -> None:
        if environment not in self.environments:
            raise ValueError(
                f"unknown environment {environment!r}: "
                f"domain.yml declares {list(self.environments)}"
            )

    def bucket(self, layer: str, environment: str, account_id: str) -> str:
        self._check_environment(environment)
        return f"{self.country_code}-{self.abbreviation}-{environment}-{layer}-{account_id}"

    @property
    def metric_namespace(self) -> str:
        """CloudWatch namespace of the domain's own metrics (the jobs' and the gate's); no
        environment in it: environments are accounts."""
        return f"{self.abbreviation}/lakehouse"

    def role(self, environment: str, project: str, purpose: str) -> str:
        """A project stack's IAM role, e.g. cmr-dev-sales-dbt-session (terraform naming)."""
        self._check_environment(environment)
        return f"{self.abbreviation}-{environment}-{project}-{purpose}"


def parse_domain(text: str, source: str = "domain.yml") -> Domain:
    data = yaml.safe_load(text) or {}
    fields = Domain.__dataclass_fields__
    missing = [f for f in fields if f not in data]
    unknown = [k for k in data if k not in fields]
    if missing or unknown:
        raise ValueError(f"{source}: missing keys {missing}, unknown keys {unknown}")
    for key in ("abbreviation", "country_code"):
        if not _NAME.match(str(data[key])):
            raise ValueError(f"{source}: {key}={data[key]!r} must be lower-case letters, digits, _")
    data["environments"] = tuple(data["environments"])
    data["layers"] = tuple(data["layers"])
    return Domain(**{k: data[k] for k in fields})


@cache
def load_domain(path: Path | None = None) -> Domain:
    path = path or domain_file()
    return parse_domain(path.read_text(), str(path))
