"""A cohort as matching knows it: its pool and its settings; and the lock that serialises its decisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from uuid import UUID

import asyncpg

from services.matching.domain import errors
from services.matching.domain.pool import Member
from services.matching.service_layer.views import cohort_view, settings_view
from services.matching.store import cohorts as store
from services.matching.store import pairs, pins
from shared.errors import Refusal


def member(row: asyncpg.Record) -> Member:
    return Member(row["participant_id"], row["company_id"], row["role"], row["profile"], row["withdrawn"])


async def known_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> asyncpg.Record:
    row = await store.cohort(conn, cohort_id)
    if row is None:
        raise errors.cohort_not_found(cohort_id)
    return row


async def locked(
    conn: asyncpg.Connection,
    read: Callable[..., Awaitable[asyncpg.Record | None]],
    key: UUID,
    missing: Refusal,
) -> asyncpg.Record:
    """`read(conn, key)`'s row, re-read for update under its cohort's lock, so decisions that change a
    cohort's pairs (approve, end, withdraw) see what is committed; `missing` when there is no row."""
    row = await read(conn, key)
    if row is None:
        raise missing
    await store.lock_cohort(conn, row["cohort_id"])
    row = await read(conn, key, for_update=True)
    assert row is not None
    return row


async def get_cohort(pool: asyncpg.Pool, cohort_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await known_cohort(conn, cohort_id)
        people = [member(r) for r in await store.participants(conn, cohort_id)]
        active = await pairs.pairs(conn, cohort_id, active_only=True)
        pinned = await pins.pins(conn, cohort_id)
        exclusions = await pins.exclusions(conn, cohort_id)
    return cohort_view(row, people, active, pinned, exclusions)


async def get_settings(pool: asyncpg.Pool, cohort_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return settings_view(await known_cohort(conn, cohort_id))


async def save_settings(
    pool: asyncpg.Pool, cohort_id: UUID, weights: Mapping[str, float], fairness: bool, industry: str
) -> dict[str, Any]:
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        return settings_view(await store.save_settings(conn, cohort_id, dict(weights), fairness, industry))
