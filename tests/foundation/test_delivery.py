"""Events travel outbox -> broker -> projection, once in effect, whatever goes wrong on the way."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.events import encode
from shared.messaging.kafka import client_options
from shared.topics import DEAD_LETTER, INTAKE
from tests.foundation.crashing_consumer import EXIT_CODE
from tests.foundation.probe_service import POISON, consumer, emit, participant, producer, seen
from tests.support.services import eventually


def counter(runtime, name: str) -> float:
    return (
        runtime.metrics.registry.get_sample_value(
            f"mentornet_events_{name}_total", {"topic": runtime.settings.topic(INTAKE.base_name)}
        )
        or 0.0
    )


async def test_an_event_travels_from_outbox_through_broker_into_projection(make_settings):
    settings = await make_settings(service_name="probe")
    async with producer(settings).running() as source, consumer(settings).running() as sink:
        await emit(source, [participant(f"p{i}") for i in range(50)])
        await eventually(lambda: seen(sink), equals=50)
        assert counter(source, "published") == 50
        assert counter(sink, "consumed") == 50


async def test_the_same_event_delivered_twice_changes_nothing(make_settings):
    settings = await make_settings(service_name="probe")
    event = participant()
    raw = AIOKafkaProducer(**client_options(settings))
    async with consumer(settings).running() as sink:
        await raw.start()
        try:
            for _ in range(2):
                await raw.send_and_wait(
                    settings.topic(INTAKE.base_name), encode(event), key=event.key.encode()
                )
        finally:
            await raw.stop()
        await eventually(lambda: counter(sink, "duplicate") >= 1)
        assert await seen(sink) == 1
        assert counter(sink, "consumed") == 1


async def test_a_consumer_killed_between_db_commit_and_offset_commit_loses_and_duplicates_nothing(
    make_settings,
):
    settings = await make_settings(service_name="probe")
    events = [participant(f"p{i}") for i in range(30)]
    async with producer(settings).running() as source:
        await emit(source, events)
        await eventually(lambda: counter(source, "published"), equals=30)

    env = {**os.environ, **{f"MENTORNET_{k.upper()}": str(v) for k, v in settings.model_dump().items()}}
    env["MENTORNET_KAFKA_PASSWORD"] = settings.kafka_password.get_secret_value()  # dumps say ********
    crashed = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "tests.foundation.crashing_consumer"], env=env, timeout=60
    )
    assert crashed.returncode == EXIT_CODE

    async with consumer(settings).running() as restarted:
        committed_before_crash = await _processed(restarted)
        assert committed_before_crash > 0  # the crash came after a database commit
        await eventually(lambda: seen(restarted), equals=30)
        await asyncio.sleep(0.5)
        assert await seen(restarted) == 30
        assert await _processed(restarted) == 30
        assert counter(restarted, "duplicate") == committed_before_crash  # redelivered, recognised


async def test_a_poison_message_is_dead_lettered_and_the_messages_behind_it_still_arrive(make_settings):
    settings = await make_settings(service_name="probe", consumer_retries=2)
    good_before = [participant(f"before{i}") for i in range(5)]
    poison = participant(POISON)
    good_after = [participant(f"after{i}") for i in range(5)]
    raw = AIOKafkaProducer(**client_options(settings))
    topic = settings.topic(INTAKE.base_name)
    async with consumer(settings).running() as sink:
        await raw.start()
        try:
            for event in good_before:
                await raw.send_and_wait(topic, encode(event), key=b"same-partition")
            await raw.send_and_wait(topic, b"{not json", key=b"same-partition")
            await raw.send_and_wait(topic, encode(poison), key=b"same-partition")
            for event in good_after:
                await raw.send_and_wait(topic, encode(event), key=b"same-partition")
        finally:
            await raw.stop()
        await eventually(lambda: seen(sink), equals=10)
        assert counter(sink, "dead_lettered") == 2

    dead = AIOKafkaConsumer(
        settings.topic(DEAD_LETTER.base_name), **client_options(settings), auto_offset_reset="earliest"
    )
    await dead.start()
    try:
        batches = await dead.getmany(timeout_ms=5000)
        records = [r for batch in batches.values() for r in batch]
    finally:
        await dead.stop()
    assert [r.value for r in records] == [b"{not json", encode(poison)]
    errors = [dict(r.headers)["x-error"].decode() for r in records]
    assert "not JSON" in errors[0]
    assert "Poisoned" in errors[1]
    assert all(dict(r.headers)["x-original-topic"] == topic.encode() for r in records)


async def _processed(runtime) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events"))
