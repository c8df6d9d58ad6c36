"""An event newer than its consumer is parked, not lost: /readyz says so, the partition keeps moving, and
after the upgrade an operator's replay applies it exactly once. Real broker, real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from aiokafka import AIOKafkaProducer

from shared.events import ParticipantRegistered, encode
from shared.events.registry import EVENT_TYPES, headers_for, register
from shared.http.app import service_app
from shared.messaging.kafka import client_options
from shared.messaging.parking import list_parked, replay
from shared.topics import INTAKE
from tests.foundation import upgraded_contracts
from tests.foundation.probe_service import consumer, participant
from tests.support.services import eventually, run_service

KEY = b"one-partition"  # the newer event and those around it share a partition


def counter(runtime, name: str) -> float:
    labels = {"topic": runtime.settings.topic(INTAKE.base_name)}
    return runtime.metrics.registry.get_sample_value(f"mentornet_events_{name}_total", labels) or 0.0


def v99(event: ParticipantRegistered) -> bytes:
    """The event as a producer one upgrade ahead writes it: version 99, with a field v1 does not have."""
    return json.dumps({**json.loads(encode(event)), "schema_version": 99, "pronouns": "she"}).encode()


@pytest.fixture
def upgraded():
    """The consumer's code after the upgrade: ParticipantRegistered at version 99."""
    before = EVENT_TYPES["ParticipantRegistered"]
    register(upgraded_contracts.ParticipantRegistered)
    yield
    EVENT_TYPES["ParticipantRegistered"] = before


async def seen(runtime) -> dict[str, int]:
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT display_name FROM seen_participants")
    return {row["display_name"]: 1 for row in rows}


async def status(client, path: str) -> int:
    return (await client.get(path)).status_code


async def send(settings, records: list[tuple[bytes, int]]) -> None:
    producer = AIOKafkaProducer(**client_options(settings), acks="all")
    await producer.start()
    try:
        for value, version in records:
            headers = headers_for("ParticipantRegistered", version)
            await producer.send_and_wait(settings.topic(INTAKE.base_name), value, key=KEY, headers=headers)
    finally:
        await producer.stop()


async def test_a_newer_event_is_parked_and_applied_once_after_upgrade_and_replay(make_settings, request):
    settings = await make_settings(service_name="probe")
    before = [participant(f"before{i}") for i in range(3)]
    future = participant("future")
    after = [participant(f"after{i}") for i in range(3)]
    await send(
        settings, [(encode(e), 1) for e in before] + [(v99(future), 99)] + [(encode(e), 1) for e in after]
    )

    old = consumer(settings)
    async with run_service(service_app(old, title="probe", description="probe")) as client:
        await eventually(lambda: counter(old, "parked"), equals=1.0)
        await eventually(lambda: seen(old), equals={e.display_name: 1 for e in before + after})
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["parked_events"].startswith("1 parked event(s) of a newer schema")
        assert ready.json()["checks"]["database"] == "ok"
        metrics = (await client.get("/metrics")).text
        assert "mentornet_events_parked_total" in metrics and "mentornet_events_parked_waiting 1.0" in metrics
        assert counter(old, "dead_lettered") == 0 and counter(old, "skipped") == 0

    (parked,) = await list_parked(settings)
    assert parked.event_id == str(future.event_id)
    assert (parked.event_type, parked.schema_version) == ("ParticipantRegistered", "99")
    assert (parked.topic, parked.offset) == (settings.topic(INTAKE.base_name), 3)
    assert parked.groups == {old.group_id}
    understood = ParticipantRegistered.SCHEMA_VERSION
    assert f"schema_version 99 is newer than this code understands ({understood})" in parked.reason
    assert parked.key == KEY and parked.value == v99(future)

    request.getfixturevalue("upgraded")
    new = consumer(settings)
    async with run_service(service_app(new, title="probe", description="probe")) as client:
        assert (await client.get("/readyz")).status_code == 503  # a restart alone resolves nothing
        (sent,) = await replay(settings)
        assert sent.event_id == str(future.event_id)
        await eventually(lambda: seen(new), equals={e.display_name: 1 for e in before + [future] + after})
        await eventually(lambda: status(client, "/readyz"), equals=200, timeout_s=10)

        await replay(settings)  # an operator replays again: recognised, not applied twice
        await eventually(lambda: counter(new, "duplicate"), equals=1.0)
        assert counter(new, "consumed") == 1
        assert len(await seen(new)) == 7


async def test_an_operator_lists_and_replays_parked_events_with_the_command(make_settings):
    settings = await make_settings(service_name="probe")
    first, second = participant("first"), participant("second")
    await send(settings, [(v99(first), 99), (v99(second), 99)])
    old = consumer(settings)
    async with old.running():
        await eventually(lambda: counter(old, "parked"), equals=2.0)

    listed = await mentornet(settings, "parked", "list")
    assert f"{first.event_id} ParticipantRegistered v99 from {settings.topic(INTAKE.base_name)}[" in listed
    assert f"parked by {old.group_id}: ParticipantRegistered schema_version 99 is newer" in listed
    assert "2 parked event(s)" in listed

    replayed = await mentornet(settings, "parked", "replay", "--event-id", str(second.event_id))
    assert f"replayed {second.event_id} ParticipantRegistered v99" in replayed
    assert str(first.event_id) not in replayed and "1 event(s) replayed" in replayed
    new = consumer(settings)
    async with new.running():
        await eventually(lambda: counter(new, "parked"), equals=1.0)  # the one replayed, still too new
    assert {p.event_id for p in await list_parked(settings)} == {str(first.event_id), str(second.event_id)}


async def mentornet(settings, *args: str) -> str:
    env = {
        **os.environ,
        "MENTORNET_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "MENTORNET_TOPIC_PREFIX": settings.topic_prefix,
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "from shared.cli import app; app()", *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout
