"""The bench smoke run: started with the session when bench tests are selected, its tests
moved to the end of the run (smoke_bench.py says why)."""

from __future__ import annotations

import pytest
from smoke_bench import SmokeBench

RUN: list[SmokeBench] = []


def pytest_collection_modifyitems(session, config, items):
    bench = [item for item in items if item.path.parent.name == "bench"]
    if bench and not config.option.collectonly:
        items[:] = [item for item in items if item not in bench] + bench
        RUN.append(SmokeBench())


def pytest_sessionfinish(session):
    for run in RUN:
        run.remove()


@pytest.fixture(scope="session")
def bench_run():
    assert RUN, "the bench smoke run was not started at collection"
    return RUN[0].result()
