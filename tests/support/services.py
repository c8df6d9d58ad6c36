"""Running services in the test process: real runtime (pool, relay, consumer), HTTP through ASGI."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def run_service(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's runtime, yield an HTTP client talking to it in-process, stop it after."""
    async with app.state.runtime.running():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


_TRUTHY = object()


async def eventually(
    check: Callable[[], Awaitable[Any] | Any],
    equals: Any = _TRUTHY,
    timeout_s: float = 20.0,
    interval_s: float = 0.1,
) -> Any:
    """Poll `check()` until it returns `equals` (or anything truthy); fail with its last value."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if (last == equals) if equals is not _TRUTHY else bool(last):
            return last
        await asyncio.sleep(interval_s)
    wanted = "something truthy" if equals is _TRUTHY else repr(equals)
    raise AssertionError(f"wanted {wanted} within {timeout_s}s; last value: {last!r}")
