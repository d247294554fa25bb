"""Shared fixtures. Integration tests share ONE lakehouse, built once per test session on a
temporary folder, in this process's one Spark session (embedded Derby admits one JVM)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_SF = os.environ.get("TEST_SF", "0.01")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@dataclass
class Lakehouse:
    home: Path
    target: Path
    generated: Path
    spark: object
    exit_code: int

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


@pytest.fixture(scope="session")
def lakehouse(tmp_path_factory) -> Lakehouse:
    """The whole `make run` pipeline on a temporary lakehouse, at TEST_SF."""
    home = tmp_path_factory.mktemp("lakehouse")
    from lakehouse import environment

    environment.use(home)
    os.environ["LAKEHOUSE_DRIVER_MEMORY"] = "2g"
    os.chdir(ROOT)
    from lakehouse_jobs.spark import get_spark

    from lakehouse.local import jars, pipeline

    jars.ensure_jars(home)
    code = pipeline.main(["--sf", TEST_SF])
    return Lakehouse(
        home, environment.target_dir(), home / "tpch" / f"sf{TEST_SF}", get_spark(), code
    )
