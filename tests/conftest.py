"""Fixtures every suite may use. Helpers live in modules beside this file (checkout,
shared_lakehouse); integration tests (marker `integration`: they need Spark) share ONE
lakehouse, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
import shared_lakehouse
from checkout import ROOT


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def lakehouse(tmp_path_factory) -> shared_lakehouse.Lakehouse:
    """The whole `make run` pipeline on a temporary lakehouse, at TEST_SF."""
    return shared_lakehouse.build(tmp_path_factory.mktemp("lakehouse"))


def pytest_sessionfinish(session, exitstatus):
    """No metastore server outlives the tests: stops those of the lakehouses they made."""
    from lakehouse.local import metastore

    for state in Path(session.config._tmp_path_factory.getbasetemp()).glob("**/metastore_server"):
        metastore.stop(state.parent)
