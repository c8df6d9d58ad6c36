"""The asyncpg pool of one service, with JSON codecs so jsonb columns read as Python values.

A service's pool is bounded in time: every statement has a command timeout, and acquiring a connection
(which may mean opening one) has a timeout that also bounds giving it back. A frozen or unreachable
database then raises TimeoutError or a connection error within seconds, which the HTTP layer answers
as 503 with Retry-After (shared/http/errors.py), instead of a request that hangs. The server bounds
them too: each connection starts with `statement_timeout` (a statement blocked on a lock is cancelled
by PostgreSQL, QueryCanceledError, also a 503) and `idle_in_transaction_session_timeout` (a transaction
left open by a stuck client does not hold its locks for ever).
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from asyncpg.pool import PoolAcquireContext


async def _init_connection(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


class BoundedPool(asyncpg.Pool):
    """An asyncpg pool whose `acquire()` has a default timeout (asyncpg's has none: it waits for ever).

    asyncpg applies an acquire's timeout to the release of that connection too, so a connection whose
    statement timed out on a frozen server is terminated instead of waited for."""

    __slots__ = ("acquire_timeout_s",)

    def __init__(self, *args: Any, acquire_timeout_s: float | None = None, **kwargs: Any) -> None:
        self.acquire_timeout_s = acquire_timeout_s
        super().__init__(*args, **kwargs)

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext:
        return super().acquire(timeout=self.acquire_timeout_s if timeout is None else timeout)


async def create_pool(
    database_url: str,
    max_size: int = 10,
    *,
    command_timeout_s: float | None = None,
    acquire_timeout_s: float | None = None,
    statement_timeout_s: float | None = None,
    idle_in_transaction_timeout_s: float | None = None,
) -> asyncpg.Pool:
    """A pool of at most `max_size` connections; without timeouts (the default) it waits as asyncpg
    does, which is what command-line tools that run long statements want."""
    server_settings = {
        name: f"{round(seconds * 1000)}ms"
        for name, seconds in (
            ("statement_timeout", statement_timeout_s),
            ("idle_in_transaction_session_timeout", idle_in_transaction_timeout_s),
        )
        if seconds is not None
    }
    pool = BoundedPool(
        database_url,
        acquire_timeout_s=acquire_timeout_s,
        min_size=1,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        command_timeout=command_timeout_s,
        server_settings=server_settings or None,
        **({"timeout": acquire_timeout_s} if acquire_timeout_s is not None else {}),
    )
    await pool
    return pool
