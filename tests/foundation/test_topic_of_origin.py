"""A consumer accepts an event type only from the topic of its producer: a forged one is dead-lettered."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.events import CompanyApiKeyIssued, Event, SessionHeld, encode
from shared.events.registry import headers_for
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import DEAD_LETTER, SESSIONS
from tests.foundation.probe_service import MIGRATIONS
from tests.support.services import eventually


def _session() -> SessionHeld:
    day = date(2027, 4, 12)
    return SessionHeld(
        session_id=uuid.uuid4(),
        pair_id=uuid.uuid4(),
        cohort_id=uuid.uuid4(),
        held_on=day,
        started_at=datetime(2027, 4, 12, 16, tzinfo=UTC),
        duration_minutes=60,
        format="online",
        logged_by="mentor",
        version=1,
        producer="sessions",
    )


def _sample(runtime: ServiceRuntime, name: str) -> float:
    topic = runtime.settings.topic(SESSIONS.base_name)
    return (
        runtime.metrics.registry.get_sample_value(f"mentornet_events_{name}_total", {"topic": topic}) or 0.0
    )


async def test_an_intake_event_forged_onto_the_sessions_topic_is_dead_lettered_not_applied(
    make_settings, kafka
):
    settings = await make_settings(service_name="probe")
    projected: list[Event] = []

    async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        projected.extend(events)

    forged = CompanyApiKeyIssued(
        company_id=uuid.uuid4(),
        key_id=uuid.uuid4(),
        key_hash=hashlib.sha256(b"attacker's key").hexdigest(),
        producer="intake",
    )
    genuine = _session()
    topic = settings.topic(SESSIONS.base_name)
    runtime = ServiceRuntime(settings, MIGRATIONS, Consumption(topics=[SESSIONS], projection=project))
    raw = AIOKafkaProducer(bootstrap_servers=kafka)
    async with runtime.running() as sink:
        await raw.start()
        try:
            for event in (forged, genuine):  # one key: one partition, the genuine event behind the forged
                await raw.send_and_wait(
                    topic,
                    encode(event),
                    key=b"same-partition",
                    headers=headers_for(event.event_type, event.SCHEMA_VERSION),
                )
        finally:
            await raw.stop()
        await eventually(lambda: _sample(sink, "dead_lettered"), equals=1)
        await eventually(lambda: len(projected), equals=1)
        assert [e.event_id for e in projected] == [genuine.event_id]
        assert _sample(sink, "from_another_topic") == 1
        assert _sample(sink, "dead_lettered") == 1
        assert _sample(sink, "consumed") == 1

    dead = AIOKafkaConsumer(
        settings.topic(DEAD_LETTER.base_name), bootstrap_servers=kafka, auto_offset_reset="earliest"
    )
    await dead.start()
    try:
        batches = await dead.getmany(timeout_ms=5000)
        records = [r for batch in batches.values() for r in batch]
    finally:
        await dead.stop()
    assert [r.value for r in records] == [encode(forged)]
    headers = dict(records[0].headers)
    assert (
        "CompanyApiKeyIssued is intake's event and arrived on mentornet.sessions"
        in headers["x-error"].decode()
    )
    assert headers["x-original-topic"] == topic.encode()
