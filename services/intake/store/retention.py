"""SQL of retention: a cohort's participants, and the day it was anonymised."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg


async def participant_ids(conn: asyncpg.Connection, cohort_id: UUID) -> list[UUID]:
    rows = await conn.fetch("SELECT participant_id FROM participants WHERE cohort_id = $1", cohort_id)
    return [row["participant_id"] for row in rows]


async def not_erased(conn: asyncpg.Connection, cohort_id: UUID) -> int:
    found: int = await conn.fetchval(
        "SELECT count(*) FROM participants WHERE cohort_id = $1 AND status <> 'erased'", cohort_id
    )
    return found


async def anonymised_on(conn: asyncpg.Connection, cohort_id: UUID) -> date | None:
    found: date | None = await conn.fetchval(
        "SELECT anonymised_on FROM cohorts WHERE cohort_id = $1", cohort_id
    )
    return found


async def mark_anonymised(conn: asyncpg.Connection, cohort_id: UUID, day: date) -> None:
    await conn.execute(
        "UPDATE cohorts SET anonymised_on = coalesce(anonymised_on, $2) WHERE cohort_id = $1", cohort_id, day
    )
