"""Fixtures every suite may use. Helpers live in modules beside this file (checkout,
shared_lakehouse); integration tests (marker `integration`: they need Spark) share ONE
lakehouse, built once per test session."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest
import shared_lakehouse
from checkout import ROOT

# The tests type `make` as a user does; under `make test` the outer make's variables would make
# every inner make print "Entering directory" lines into the output the tests read.
for _name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def lakehouse(tmp_path_factory) -> shared_lakehouse.Lakehouse:
    """The whole `make run` pipeline on a temporary lakehouse, at TEST_SF."""
    return shared_lakehouse.build(tmp_path_factory.mktemp("lakehouse"))


def pytest_sessionfinish(session, exitstatus):
    """Nothing outlives the tests: this process's Spark JVM ends before pytest does, then the
    metastore servers of the lakehouses the tests made stop, and their CRMs are deleted (their
    data folders sit outside the lakehouse)."""
    from lakehouse.local import crm, metastore

    if "pyspark" in sys.modules:
        from pyspark import SparkContext

        if SparkContext._active_spark_context is not None:
            from pyspark.sql import SparkSession

            from lakehouse.local.shell import stop

            with contextlib.suppress(Exception):  # a JVM gone already: the CI check still looks
                stop(SparkSession.builder.getOrCreate())

    made = Path(session.config._tmp_path_factory.getbasetemp())
    for state in made.glob("**/metastore_server"):
        metastore.stop(state.parent)
    for admin in made.glob("**/crm/admin.json"):
        crm.remove(admin.parent.parent)
