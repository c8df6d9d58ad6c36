"""Reporting's projections end in the same rows whatever order the events arrive in, and however often:
topics are consumed independently, and after a broker restart producers send their history again."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import asyncpg
import pytest

from services.reporting.app import project
from services.reporting.domain.report import programme_report
from services.reporting.settings import ReportingSettings
from services.reporting.store import cohort_data
from services.reporting.store import rebuild as store
from shared.db import migrator
from shared.db.pool import create_pool
from shared.events import Event, PairMatched, SessionCorrected, SessionHeld, SessionRetracted
from tests.reporting.programme import TODAY, scripted_programme


@pytest.fixture
async def pool(make_settings) -> AsyncIterator[asyncpg.Pool]:
    settings = await make_settings(ReportingSettings)
    pool = await create_pool(settings.database_url, 2)
    async with pool.acquire() as conn:
        await migrator.apply(conn, migrator.service_migrations("reporting", "services.reporting.migrations"))
    yield pool
    await pool.close()


async def apply_one_by_one(pool: asyncpg.Pool, events: Sequence[Event]) -> None:
    async with pool.acquire() as conn:
        async with conn.transaction():
            await store.clear_for_rebuild(conn)
        for event in events:
            async with conn.transaction():
                await project(conn, [event])


async def dump(pool: asyncpg.Pool) -> dict[str, list[tuple[object, ...]]]:
    async with pool.acquire() as conn:
        return {
            table: [tuple(row.values()) for row in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1")]
            for table in store.PROJECTION_TABLES
        }


def by_topic_backwards(events: list[Event]) -> list[Event]:
    """Sessions first, then matching, then intake: the worst case of independent topics."""
    topic = {"sessions": 0, "matching": 1, "intake": 2}
    return sorted(events, key=lambda e: topic[type(e).__module__.rsplit(".", 1)[-1]])


async def test_every_arrival_order_and_every_duplicate_end_in_the_same_rows(pool):
    events = scripted_programme().events
    shuffled = [random.Random(seed).sample(events, len(events)) for seed in range(4)]
    orders = [events, list(reversed(events)), by_topic_backwards(events), *shuffled]
    await apply_one_by_one(pool, events)
    expected = await dump(pool)
    assert {table: len(rows) for table, rows in expected.items()} == {
        "cohorts": 2,
        "companies": 3,
        "company_keys": 4,
        "participants": 16,
        "pairs": 8,
        "sessions": 11,
        "agreements": 0,  # the programme year's arrival orders: tests/evaluations/test_reporting_order.py
        "evaluations": 0,
        "evaluation_answers": 0,
        "evaluation_quotes": 0,
        "member_tokens": 0,  # issued links (the data export's), not in the scripted programme
    }
    for order in orders:
        twice = order + random.Random(7).sample(order, len(order))
        await apply_one_by_one(pool, twice)
        assert await dump(pool) == expected


async def test_a_session_before_its_pair_waits_to_be_counted(pool):
    programme = scripted_programme()
    sessions = [
        e for e in programme.events if isinstance(e, SessionHeld | SessionCorrected | SessionRetracted)
    ]
    await apply_one_by_one(pool, sessions)

    async def figures() -> dict[str, object]:
        async with pool.acquire() as conn:
            data = await cohort_data.load_cohort(conn, programme.cohort_id, "Europe/Copenhagen")
        assert data is not None
        report = programme_report(data, TODAY, ReportingSettings().thresholds)
        return {r["figure"]: r["value"] for r in report.tables["summary"].rows}

    before = await figures()
    assert (before["sessions"], before["pairs"]) == (0, 0)  # known, stored, not yet counted
    pairs = [e for e in programme.events if isinstance(e, PairMatched)]
    async with pool.acquire() as conn, conn.transaction():
        await project(conn, pairs)
    after = await figures()
    assert (after["sessions"], after["pairs"], after["hours"]) == (9, 7, 14.75)


async def test_the_sessions_version_number_beats_the_clock(pool):
    """A correction stamped earlier than the session (a skewed clock) still wins by its version."""
    programme = scripted_programme()
    held = next(
        e
        for e in programme.events
        if isinstance(e, SessionHeld) and e.session_id == programme.session("P1-1")
    )
    skewed = SessionCorrected(
        **held.model_dump(exclude={"event_id", "event_type", "schema_version", "occurred_at", "version"}),
        version=2,
        occurred_at=held.occurred_at - timedelta(days=1),
    ).model_copy(update={"duration_minutes": 45})
    unnumbered = held.model_copy(update={"event_id": uuid.uuid4(), "version": None, "duration_minutes": 200})
    for order in ([held, skewed, unnumbered], [unnumbered, skewed, held], [skewed, unnumbered, held]):
        await apply_one_by_one(pool, order)
        async with pool.acquire() as conn:
            minutes = await conn.fetchval("SELECT duration_minutes FROM sessions")
        assert minutes == 45
