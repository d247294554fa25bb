"""glue-local served from this test process, on the shared lakehouse's Spark session: the
catalog answers are the shared lakehouse's, sessions are `newSession()`s of its Spark."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lakehouse.glue_local import GlueEmulator, start_server
from lakehouse.glue_local.client import glue_client


@pytest.fixture(scope="session")
def glue_local(lakehouse):
    emulator = GlueEmulator(lakehouse.spark, wait_seconds=2.0)
    server, url = start_server(emulator)
    yield SimpleNamespace(url=url, emulator=emulator)
    server.shutdown()
    server.server_close()
    emulator.close()


@pytest.fixture(scope="session")
def glue(glue_local):
    return glue_client(glue_local.url)
