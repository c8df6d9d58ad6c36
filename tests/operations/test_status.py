"""`mentornet status` against running services: up and ready, outbox pending, consumer lag per group and
partition (committed offsets against the high-water mark of a fetch), dead letters waiting; a service
that is down is said to be, and its group's lag still counted. Real HTTP, broker and PostgreSQL."""

from __future__ import annotations

import json
import uuid

import asyncpg
from aiokafka import AIOKafkaProducer

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from shared.messaging.relay import _BATCH_LOCK
from shared.topics import INTAKE
from tests.matching.support import company
from tests.operations.support import free_port, mentornet, serve_http
from tests.operations.test_rebuild import intake_history, processed
from tests.support.events import emit, publish
from tests.support.services import eventually

ADMIN = "staff-token-for-status-tests"


async def poison(settings) -> None:
    """Bytes no consumer can read, on intake's topic."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(settings.topic(INTAKE.base_name), b"not an event", key=b"p")
    finally:
        await producer.stop()


def dead_lettered(app) -> float:
    metrics = app.state.runtime.metrics.registry
    labels = {"topic": app.state.runtime.settings.topic(INTAKE.base_name)}
    return metrics.get_sample_value("mentornet_events_dead_lettered_total", labels) or 0.0


async def test_status_says_per_service_what_an_operator_needs(make_settings):
    intake_settings = await make_settings(IntakeSettings, admin_token=ADMIN)
    matching_settings = await make_settings(MatchingSettings, admin_token=ADMIN, consumer_retries=1)
    intake, matching = intake_app(intake_settings), matching_app(matching_settings)
    history = intake_history()  # 9 records
    closed = {name: f"http://127.0.0.1:{free_port()}" for name in ("sessions", "reporting", "web")}
    topic = intake_settings.topic(INTAKE.base_name)
    group = f"{matching_settings.topic_prefix}mentornet-matching"

    async with serve_http(intake) as intake_url, serve_http(matching) as matching_url:
        await publish(matching_settings, history)
        await poison(matching_settings)  # the 10th record
        await eventually(lambda: dead_lettered(matching), equals=1.0, timeout_s=30)
        await eventually(lambda: processed(matching.state.runtime.pool), equals=8, timeout_s=30)
        urls = [f"--url=intake={intake_url}", f"--url=matching={matching_url}"]
        urls += [f"--url={name}={url}" for name, url in closed.items()]
        lock = await asyncpg.connect(intake_settings.database_url)  # holds intake's relay between batches
        try:
            await lock.execute("SELECT pg_advisory_lock($1)", _BATCH_LOCK)
            await emit(intake.state.runtime, [company(f"Waiting {uuid.uuid4().hex[:6]}")])

            async def committed_everything() -> bool:
                found = json.loads(await mentornet(matching_settings, "status", "--json", *urls))
                lag = next(s for s in found if s["service"] == "matching")["lag"]
                return sum(p["committed"] or 0 for p in lag) == 10

            await eventually(committed_everything, timeout_s=30, interval_s=0.5)
            lines = (await mentornet(matching_settings, "status", *urls)).splitlines()
            found = json.loads(await mentornet(matching_settings, "status", "--json", *urls))
        finally:
            await lock.close()

        by_service = {s["service"]: s for s in found}
        assert f"intake: up at {intake_url}" in lines and "intake: ready" in lines
        assert "intake: outbox pending 1" in lines  # written, its relay held back
        assert "intake: dead letters waiting 0" in lines  # it reads matching and sessions for its reminders
        assert any(line.startswith("intake: lag 0 in group ") for line in lines)
        assert f"matching: up at {matching_url}" in lines and "matching: ready" in lines
        assert "matching: outbox pending 0" in lines
        assert "matching: dead letters waiting 1" in lines  # the poison
        ends = {p["partition"]: p["end"] for p in by_service["matching"]["lag"] if p["topic"] == topic}
        assert sum(ends.values()) == 10
        for partition, end in ends.items():
            assert (
                f"matching: lag 0 in group {group} on {topic}[{partition}] (committed {end}, end {end})"
                in lines
            )

        sessions = by_service["sessions"]
        assert not sessions["up"] and sessions["outbox_pending"] is None
        assert any(line.startswith("sessions: down (ConnectError") for line in lines)
        on_intake = [p for p in sessions["lag"] if p["topic"] == topic]
        assert sum(p["lag"] for p in on_intake) == 10 and all(p["committed"] is None for p in on_intake)
        assert (
            f"sessions: lag {ends[0]} in group {sessions['consumer_group']} on {topic}[0] (committed nothing, end {ends[0]})"
            in lines
        )
        assert "web: consumes no topic" in lines and not by_service["reporting"]["up"]

        async def pending() -> int:
            found = json.loads(await mentornet(matching_settings, "status", "--json", *urls))
            return next(s for s in found if s["service"] == "intake")["outbox_pending"]

        await eventually(pending, equals=0, timeout_s=30, interval_s=0.5)  # the relay let go: published
