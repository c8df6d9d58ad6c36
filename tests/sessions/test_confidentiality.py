"""Private notes stay in the sessions store: not in any topic, other service's database, log,
metric, or answer to anyone but the pair's two members.

The other services run as they are (their real apps), each on its own database; matching's
PairMatched is fed as matching's relay would send it, so this test does not depend on matching's API.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import AsyncExitStack

import asyncpg
import httpx
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as create_matching
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as create_sessions
from services.sessions.settings import SessionsSettings
from shared.http.auth import new_key
from shared.runtime import ServiceRuntime
from shared.topics import ALL_TOPICS
from tests.sessions.support import ADMIN_TOKEN, STAFF, bearer, days_ago, matched_pair, session_body
from tests.support.services import eventually, run_service


async def test_private_notes_are_found_nowhere_but_the_sessions_store(make_settings, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    marker = f"PRIVATE-{uuid.uuid4().hex}"
    settings = {
        "intake": await make_settings(IntakeSettings, admin_token=ADMIN_TOKEN),
        "matching": await make_settings(MatchingSettings, admin_token=ADMIN_TOKEN),
        "reporting": await make_settings(ReportingSettings, admin_token=ADMIN_TOKEN),
        "sessions": await make_settings(SessionsSettings, admin_token=ADMIN_TOKEN),
    }
    factories = {
        "intake": create_intake,
        "matching": create_matching,
        "reporting": create_reporting,
        "sessions": create_sessions,
    }
    not_for_members: list[httpx.Response] = []  # every answer to staff, a company or a stranger

    with structlog.testing.capture_logs() as logs:
        async with AsyncExitStack() as stack:
            apps = {name: factories[name](settings[name]) for name in factories}  # type: ignore[operator]
            clients = {name: await stack.enter_async_context(run_service(app)) for name, app in apps.items()}
            client = clients["sessions"]
            pair, tokens = await matched_pair(settings["sessions"], client)
            mentor, mentee = bearer(tokens["mentor"]), bearer(tokens["mentee"])
            path = f"/v1/pairs/{pair.pair_id}/sessions"

            logged = await client.post(path, headers=mentee, json=session_body(notes=f"{marker} first"))
            assert logged.status_code == 201 and marker in logged.text  # the author sees them
            session = f"{path}/{logged.json()['session_id']}"
            corrected = await client.put(
                session, headers=mentor, json=session_body(duration_minutes=75, notes=f"{marker} second")
            )
            assert corrected.status_code == 200
            not_for_members += [
                await client.put(session, headers=STAFF, json=session_body(duration_minutes=80)),
                await client.get(path, headers=STAFF),
                await client.get(session, headers=STAFF),
            ]
            # Requests refused while carrying the notes: the answer never repeats them.
            refusals = [
                (mentee, session_body(days_ago(2), duration_minutes=5, notes=marker)),
                (mentee, session_body(days_ago(2), tools=["gossip"], notes=marker)),
                (mentee, session_body(days_ago(2), notes=marker * 200)),
                (mentee, session_body(days_ago(2), notes=f"{marker}\x00")),
                (mentee, session_body(days_ago(2), extra_field=marker, notes=marker)),
                (mentor, session_body(notes=f"{marker} a different account of the same start")),
                (STAFF, session_body(days_ago(2), notes=marker)),
                (bearer(new_key("mnc")), session_body(days_ago(2), notes=marker)),
            ]
            for headers, body in refusals:
                refused = await client.post(path, headers=headers, json=body)
                assert refused.status_code in (404, 409, 422), refused.text
                assert marker not in refused.text
            broken_json = await client.post(
                path,
                headers={**mentee, "content-type": "application/json"},
                content=f'{{"notes": "{marker}", ',
            )
            assert broken_json.status_code == 422 and marker not in broken_json.text
            wrong_session = await client.put(
                f"{path}/{uuid.uuid4()}", headers=mentee, json=session_body(notes=marker)
            )
            assert wrong_session.status_code == 404 and marker not in wrong_session.text
            retracted = await client.post(
                f"{session}/retraction", headers=mentee, json={"reason": "duplicate"}
            )
            assert retracted.status_code == 200 and marker in retracted.text  # a member's answer

            await _all_published(apps["sessions"].state.runtime)
            records = await _read_every_topic(settings["sessions"])
            await _wait_until_consumed(apps, records)
            for other in clients.values():
                not_for_members.append(await other.get("/metrics"))
            event_types = [dict(r.headers or ()).get("event_type", b"").decode() for r in records]
            assert {"PairMatched", "SessionHeld", "SessionCorrected", "SessionRetracted"} <= set(event_types)

    # 1. No topic of this test (intake, matching, sessions, dead letters) carries them.
    for record in records:
        raw = b"".join([record.value or b"", record.key or b"", *(v for _, v in record.headers or ())])
        assert marker.encode() not in raw, record.topic
    # 2. No other service's database holds them; in sessions' own, only the notes table does.
    for name in ("intake", "matching", "reporting"):
        assert await _where(settings[name].database_url, marker) == [], name
    assert await _where(settings["sessions"].database_url, marker) == ["public.session_notes.notes"]
    # 3. No answer to staff, a company or a stranger, no metric.
    for answer in not_for_members:
        assert answer.status_code == 200, answer.text
        assert marker not in answer.text
    # 4. No log line: structlog events, standard logging records, or anything written to stdout/stderr.
    assert logs, "the services logged nothing: the capture is not working"
    assert [entry for entry in logs if marker in repr(entry)] == []
    assert [
        r.getMessage() for r in caplog.records if marker in r.getMessage() or marker in repr(r.args)
    ] == []
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err


async def _all_published(runtime: ServiceRuntime) -> None:
    async def pending() -> int:
        async with runtime.pool.acquire() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))

    await eventually(pending, equals=0, timeout_s=30)


async def _read_every_topic(settings: SessionsSettings) -> list:
    """Every record of every topic with this test's prefix, from the beginning."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(settings.topic_prefix)]
    finally:
        await admin.close()
    assert sorted(topics) == sorted(settings.topic(t.base_name) for t in ALL_TOPICS)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in consumer.partitions_for_topic(topic) or ()
        ]
        if not partitions:
            await consumer._client.force_metadata_update()  # noqa: SLF001 - metadata for an unsubscribed client
            partitions = [
                TopicPartition(topic, p)
                for topic in topics
                for p in consumer.partitions_for_topic(topic) or ()
            ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list = []
        quiet = 0
        while quiet < 3:  # end offsets are unreliable on the embedded broker: read until it stays quiet
            batch = await consumer.getmany(timeout_ms=500)
            found = [r for rs in batch.values() for r in rs]
            records += found
            quiet = 0 if found else quiet + 1
        return records
    finally:
        await consumer.stop()


async def _wait_until_consumed(apps: dict, records: list) -> None:
    """Each other service has handled every record of the topics it consumes (if it consumes any)."""
    per_topic: dict[str, int] = {}
    for record in records:
        per_topic[record.topic] = per_topic.get(record.topic, 0) + 1
    for name, app in apps.items():
        runtime: ServiceRuntime = app.state.runtime
        if name == "sessions" or runtime.consumption is None:
            continue
        for topic in runtime.consumption.topics:
            full = runtime.settings.topic(topic.base_name)
            await eventually(
                lambda runtime=runtime, full=full: _handled(runtime, full),
                equals=per_topic.get(full, 0),
                timeout_s=30,
            )


def _handled(runtime: ServiceRuntime, topic: str) -> int:
    samples = ("consumed", "duplicate", "skipped", "dead_lettered")
    registry = runtime.metrics.registry
    return int(
        sum(registry.get_sample_value(f"mentornet_events_{s}_total", {"topic": topic}) or 0 for s in samples)
    )


async def _where(database_url: str, marker: str) -> list[str]:
    """Every schema.table.column of a database whose value contains the marker (text, json, arrays, bytes)."""
    conn = await asyncpg.connect(database_url)
    try:
        columns = await conn.fetch(
            """SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
               WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
               ORDER BY table_schema, table_name, ordinal_position"""
        )
        found = []
        for c in columns:
            column = f'"{c["table_schema"]}"."{c["table_name"]}"'
            name = f'"{c["column_name"]}"'
            if c["data_type"] == "bytea":
                test = f"position($1::bytea IN {name}) > 0"
                argument: object = marker.encode()
            else:
                test = f"strpos({name}::text, $1) > 0"
                argument = marker
            if await conn.fetchval(f"SELECT count(*) FROM {column} WHERE {test}", argument):
                found.append(f"{c['table_schema']}.{c['table_name']}.{c['column_name']}")
        return found
    finally:
        await conn.close()
