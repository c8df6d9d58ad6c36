"""Parking events of a newer schema version than a consumer understands, and replaying them after an upgrade.

A consumer that meets such an event records it in its `parked_events` table (its /readyz turns red while
one waits) and publishes it to the parked topic with headers saying why and where it came from; the
partition keeps moving. After the upgrade an operator replays the parked topic: each event goes back to
its original topic under its original key, where every consumer group de-duplicates it by event id, so
those that applied it before ignore it and the one that parked it applies it once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from shared.events.registry import NewerSchemaVersion
from shared.messaging.kafka import client_options, make_producer
from shared.settings import ServiceSettings
from shared.topics import PARKED

log = structlog.get_logger(__name__)

ORIGIN_HEADERS = ("x-original-topic", "x-original-partition", "x-original-offset", "x-consumer-group")
PARKING_HEADERS = ("x-parked-reason", "x-event-id", *ORIGIN_HEADERS)


def park_headers(record: ConsumerRecord, newer: NewerSchemaVersion, group_id: str) -> list[tuple[str, bytes]]:
    """The record's own headers, then why it was parked and where it came from."""
    return [
        *(record.headers or ()),
        ("x-parked-reason", str(newer).encode()),
        ("x-event-id", str(newer.event_id).encode()),
        ("x-original-topic", record.topic.encode()),
        ("x-original-partition", str(record.partition).encode()),
        ("x-original-offset", str(record.offset).encode()),
        ("x-consumer-group", group_id.encode()),
    ]


async def publish(
    producer: AIOKafkaProducer, topic: str, record: ConsumerRecord, newer: NewerSchemaVersion, group_id: str
) -> None:
    """Put the record on the parked topic, under its own key, saying why and where it came from."""
    headers = park_headers(record, newer, group_id)
    await (await producer.send(topic, value=record.value, key=record.key, headers=headers))
    log.error(
        "event parked: newer schema version than this service understands",
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        event_id=str(newer.event_id),
        event_type=newer.event_type,
        schema_version=newer.schema_version,
        understood=newer.understood,
    )


# ---- the consumer's record of what it parked (its own database, the consumer's transaction)


async def store(
    conn: asyncpg.Connection, parked: Sequence[tuple[ConsumerRecord, NewerSchemaVersion]]
) -> None:
    await conn.executemany(
        """INSERT INTO parked_events (event_id, event_type, schema_version, topic, partition, "offset", reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING""",
        [
            (n.event_id, n.event_type, n.schema_version, r.topic, r.partition, r.offset, str(n))
            for r, n in parked
        ],
    )


async def resolve(conn: asyncpg.Connection, event_ids: Collection[UUID]) -> int:
    """Mark parked events now applied (or recognised as applied) as resolved; returns how many still wait."""
    if event_ids:
        await conn.execute(
            "UPDATE parked_events SET resolved_at = now() WHERE resolved_at IS NULL AND event_id = ANY($1::uuid[])",
            list(event_ids),
        )
    return await waiting(conn)


async def waiting(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM parked_events WHERE resolved_at IS NULL"))


def readiness(count: int) -> str:
    if not count:
        return "ok"
    return (
        f"{count} parked event(s) of a newer schema version wait: upgrade this service, "
        "then run `mentornet parked replay`"
    )


# ---- the operator's view: list and replay the parked topic


@dataclass
class ParkedEvent:
    event_id: str
    event_type: str
    schema_version: str
    topic: str
    partition: int
    offset: int
    reason: str
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    groups: set[str] = field(default_factory=set)


async def list_parked(settings: ServiceSettings, idle_s: float = 1.0) -> list[ParkedEvent]:
    """Every event on the parked topic, once per event id (each group that parked it is named)."""
    found: dict[str, ParkedEvent] = {}
    for record in await _read_all(settings, settings.topic(PARKED.base_name), idle_s):
        named = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        event_id = named.get("x-event-id", f"{record.partition}:{record.offset}")
        if event_id in found:
            found[event_id].groups.add(named.get("x-consumer-group", ""))
            continue
        found[event_id] = ParkedEvent(
            event_id=event_id,
            event_type=named.get("event_type", ""),
            schema_version=named.get("schema_version", ""),
            topic=named.get("x-original-topic", ""),
            partition=int(named.get("x-original-partition", "-1")),
            offset=int(named.get("x-original-offset", "-1")),
            reason=named.get("x-parked-reason", ""),
            key=record.key,
            value=record.value,
            headers=[(k, v) for k, v in record.headers or () if k not in PARKING_HEADERS],
            groups={named.get("x-consumer-group", "")},
        )
    return list(found.values())


async def replay(
    settings: ServiceSettings, event_ids: Collection[str] = (), idle_s: float = 1.0
) -> list[ParkedEvent]:
    """Send parked events (all, or those named) back to their original topic under their original key."""
    chosen = [p for p in await list_parked(settings, idle_s) if not event_ids or p.event_id in event_ids]
    producer = make_producer(settings, client_id="mentornet-parked-replay")
    await producer.start()
    try:
        for parked in chosen:
            if not parked.topic:
                continue
            await producer.send_and_wait(parked.topic, parked.value, key=parked.key, headers=parked.headers)
    finally:
        await producer.stop()
    return [p for p in chosen if p.topic]


async def _read_all(settings: ServiceSettings, topic: str, idle_s: float) -> list[ConsumerRecord]:
    """A topic from its start until it stays quiet (the embedded broker's end offsets are unreliable)."""
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARKED.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        while True:
            batch = await consumer.getmany(timeout_ms=int(idle_s * 1000))
            found = [r for rs in batch.values() for r in rs]
            if not found:
                return records
            records += found
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
