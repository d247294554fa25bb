"""The lakehouse every integration test shares: the whole `make run` pipeline, built once per
test session on a temporary folder, in this process's one Spark session (one JVM)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from checkout import ROOT

TEST_SF = os.environ.get("TEST_SF", "0.01")


@dataclass
class Lakehouse:
    home: Path
    target: Path
    generated: Path
    spark: object
    exit_code: int

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


def build(home: Path) -> Lakehouse:
    """`make run`'s pipeline at TEST_SF on the lakehouse in `home`, in this process."""
    from lakehouse import environment

    environment.use(home)
    os.environ["LAKEHOUSE_DRIVER_MEMORY"] = "2g"
    os.chdir(ROOT)
    from lakehouse_jobs.spark import get_spark

    from lakehouse.local import jars, pipeline

    jars.ensure_jars(home)
    code = pipeline.main(["--sf", TEST_SF])
    generated = home / "tpch" / f"sf{TEST_SF}"
    return Lakehouse(home, environment.target_dir(), generated, get_spark(), code)
