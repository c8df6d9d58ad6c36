"""A stand-in for reporting: consumes sessions' events into its own projection, on the real runtime."""

from __future__ import annotations

import asyncpg

from shared.events import SessionCorrected, SessionHeld, SessionRetracted
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import SESSIONS


async def upsert_figures(conn: asyncpg.Connection, event: SessionHeld | SessionCorrected) -> None:
    await conn.execute(
        """INSERT INTO session_figures (session_id, pair_id, held_on, duration_minutes, format, tools, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (session_id) DO UPDATE SET held_on = $3, duration_minutes = $4, format = $5, tools = $6,
               version = $7
           WHERE session_figures.version < $7""",
        event.session_id,
        event.pair_id,
        event.held_on,
        event.duration_minutes,
        event.format,
        list(event.tools),
        event.version or 1,
    )


async def retract(conn: asyncpg.Connection, event: SessionRetracted) -> None:
    await conn.execute(
        """INSERT INTO session_figures (session_id, pair_id, version, retracted) VALUES ($1, $2, $3, true)
           ON CONFLICT (session_id) DO UPDATE SET retracted = true, version = greatest(session_figures.version, $3)""",
        event.session_id,
        event.pair_id,
        event.version or 1,
    )


projection = Dispatcher(
    {SessionHeld: [upsert_figures], SessionCorrected: [upsert_figures], SessionRetracted: [retract]}
)


def standin(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime(
        settings, "tests.sessions.standin.migrations", Consumption(topics=[SESSIONS], projection=projection)
    )


async def figures(runtime: ServiceRuntime) -> list[dict]:
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM session_figures ORDER BY held_on, session_id")
    return [dict(row) for row in rows]
