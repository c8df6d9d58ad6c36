"""Putting events where a producer would: into an outbox (for the relay), or straight onto the topics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiokafka import AIOKafkaProducer

from shared.events import Event, encode
from shared.events.registry import headers_for
from shared.messaging import outbox
from shared.messaging.kafka import client_options
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import topic_of


async def emit(runtime: ServiceRuntime, events: Sequence[Event]) -> None:
    """Write events to the runtime's outbox in one transaction; its relay publishes them."""
    async with runtime.pool.acquire() as conn, conn.transaction():
        await outbox.append(conn, events)


async def publish(settings: ServiceSettings, events: Iterable[Event]) -> None:
    """Put events on their producers' topics as the relay would: keyed by aggregate, with contract headers."""
    producer = AIOKafkaProducer(**client_options(settings), acks="all", linger_ms=5)
    await producer.start()
    try:
        for event in events:
            await producer.send(
                settings.topic(topic_of(event).base_name),
                encode(event),
                key=event.key.encode(),
                headers=headers_for(event.event_type, event.schema_version),
            )
        await producer.flush()
    finally:
        await producer.stop()
