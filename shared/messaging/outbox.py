"""The write side of the outbox: events are stored in the same transaction as the decision."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from shared.events import Event, encode
from shared.topics import topic_of

NOTIFY_CHANNEL = "mentornet_outbox"


async def append(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    """Store `events` for the relay; call inside the transaction that made the change."""
    if not events:
        return
    await conn.executemany(
        """INSERT INTO outbox (event_id, topic, key, event_type, schema_version, payload, correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        [
            (
                e.event_id,
                topic_of(e).base_name,
                e.key,
                e.event_type,
                e.schema_version,
                encode(e),
                e.correlation_id,
            )
            for e in events
        ],
    )
    await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")


async def history(conn: asyncpg.Connection, after: int = 0, limit: int = 1000) -> list[asyncpg.Record]:
    """The service's own events in the order it decided them (its event store)."""
    return await conn.fetch(
        "SELECT position, event_id, topic, key, event_type, payload FROM outbox"
        " WHERE position > $1 ORDER BY position LIMIT $2",
        after,
        limit,
    )
