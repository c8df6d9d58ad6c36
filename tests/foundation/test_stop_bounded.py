"""A service stops within a bound even when a request still holds a database connection (a stuck
request, or a database that went away mid-statement): its shutdown gives the pool up after a while."""

from __future__ import annotations

import asyncio
import time

import pytest

from shared import runtime as runtime_module
from tests.foundation.probe_service import consumer


async def test_stop_finishes_while_a_connection_is_still_held(make_settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(runtime_module, "STOP_STEP_TIMEOUT_S", 1.0)
    runtime = consumer(await make_settings(service_name="probe"))
    await runtime.start()
    await runtime.pool.acquire()  # never released: asyncpg's close() alone would wait for it for ever
    started = time.monotonic()
    await asyncio.wait_for(runtime.stop(), 15)
    assert time.monotonic() - started < 10
    assert runtime.pool.is_closing()  # terminated, the held connection with it
