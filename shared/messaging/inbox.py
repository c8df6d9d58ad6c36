"""The consumer's record of applied events (`processed_events`), and how it is kept from growing.

De-duplication is by event id, plus one rule that lets old ids go: the relay stamps each record with its
producer and its outbox position (headers), and a producer's events reach a partition in position order,
again in the same order when it re-sends its history to a new broker. So once every id of a stream
(topic, partition, producer) applied before the keep window is dropped, the newest of them stays as the
stream's watermark, and a record of that stream at or below the watermark's position is a duplicate even
though its id is gone. Records without a position (not sent by a relay) are judged by id only and kept,
and so is an event this consumer parked (shared/messaging/parking.py) and still waits for: its replay
comes after the events that followed it, above its position, and is applied once.

Consumers take a shared advisory lock for each batch and pruning an exclusive one, so a batch never reads
a watermark older than the ids it finds missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

import asyncpg
import structlog
from aiokafka import ConsumerRecord

from shared.messaging.relay import POSITION_HEADER, PRODUCER_HEADER

if TYPE_CHECKING:
    from shared.messaging.consumer import Delivery

log = structlog.get_logger(__name__)

_PRUNE_LOCK = 0x7072756E65  # "prune"
Stream = tuple[str, int, str]  # topic, partition, producer


def origin(record: ConsumerRecord) -> tuple[str, int] | None:
    """The producer and outbox position the relay stamped on `record`, if it did."""
    headers = dict(record.headers or ())
    producer, position = headers.get(PRODUCER_HEADER), headers.get(POSITION_HEADER)
    if producer is None or position is None:
        return None
    try:
        return producer.decode(), int(position)
    except (UnicodeDecodeError, ValueError):
        return None


async def record(conn: asyncpg.Connection, deliveries: Sequence[Delivery]) -> set[UUID]:
    """Record the ids of `deliveries` in the caller's transaction; returns the ids seen for the first time."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", _PRUNE_LOCK)
    origins = [origin(d.record) for d in deliveries]
    inserted = {
        row["event_id"]
        for row in await conn.fetch(
            """INSERT INTO processed_events
                   (event_id, event_type, topic, partition, "offset", producer, source_position)
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::bigint[],
                                    $6::text[], $7::bigint[])
               ON CONFLICT DO NOTHING RETURNING event_id""",
            [d.event.event_id for d in deliveries],
            [d.event.event_type for d in deliveries],
            [d.record.topic for d in deliveries],
            [d.record.partition for d in deliveries],
            [d.record.offset for d in deliveries],
            [o[0] if o else None for o in origins],
            [o[1] if o else None for o in origins],
        )
    }
    if not inserted or not any(origins):
        return inserted
    marks = await watermarks(conn, {d.record.topic for d in deliveries})
    below = set()
    for delivery, seen in zip(deliveries, origins, strict=True):
        if seen is None or delivery.event.event_id not in inserted:
            continue
        mark = marks.get((delivery.record.topic, delivery.record.partition, seen[0]))
        if mark is not None and seen[1] <= mark:
            below.add(delivery.event.event_id)  # handled before its id was pruned...
    if below:
        parked = await conn.fetch(
            "SELECT event_id FROM parked_events WHERE resolved_at IS NULL AND event_id = ANY($1::uuid[])",
            list(below),
        )
        below -= {row["event_id"] for row in parked}  # ...unless parked here and waiting for this replay
    return inserted - below


async def watermarks(conn: asyncpg.Connection, topics: set[str]) -> dict[Stream, int]:
    rows = await conn.fetch(
        "SELECT topic, partition, producer, source_position FROM processed_events"
        " WHERE watermark AND topic = ANY($1::text[])",
        sorted(topics),
    )
    return {(r["topic"], r["partition"], r["producer"]): r["source_position"] for r in rows}


async def prune(conn: asyncpg.Connection, keep_s: float) -> int:
    """Drop the ids applied more than `keep_s` ago that carry a position, moving each stream's
    watermark up to the newest of them; returns how many rows went."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _PRUNE_LOCK)
        old = "source_position IS NOT NULL AND NOT watermark AND processed_at < now() - make_interval(secs => $1)"
        newest = await conn.fetch(
            "SELECT DISTINCT ON (topic, partition, producer) event_id, topic, partition, producer,"
            f" source_position FROM processed_events WHERE {old}"
            " ORDER BY topic, partition, producer, source_position DESC",
            keep_s,
        )
        marks = await watermarks(conn, {r["topic"] for r in newest})
        raised = [
            r
            for r in newest
            if r["source_position"] > marks.get((r["topic"], r["partition"], r["producer"]), -1)
        ]
        if raised:
            await conn.execute(
                """DELETE FROM processed_events p USING unnest($1::text[], $2::int[], $3::text[]) AS s(t, n, w)
                    WHERE p.watermark AND p.topic = s.t AND p.partition = s.n AND p.producer = s.w""",
                [r["topic"] for r in raised],
                [r["partition"] for r in raised],
                [r["producer"] for r in raised],
            )
            await conn.execute(
                "UPDATE processed_events SET watermark = true WHERE event_id = ANY($1::uuid[])",
                [r["event_id"] for r in raised],
            )
        deleted = await conn.execute(f"DELETE FROM processed_events WHERE {old}", keep_s)
    count = int(deleted.split()[-1])
    if count:
        log.info("pruned processed event ids", rows=count, watermarks_raised=len(raised))
    return count
