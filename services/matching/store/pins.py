"""Pins and exclusions: staff's choices about single pairs, kept for the cohort's later runs."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from asyncpg import Record


async def pins(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM pins WHERE cohort_id = $1 ORDER BY created_at", cohort_id)


async def pin(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await conn.execute(
        """INSERT INTO pins (cohort_id, mentee_id, mentor_id) VALUES ($1, $2, $3)
           ON CONFLICT (cohort_id, mentee_id) DO UPDATE SET mentor_id = excluded.mentor_id, created_at = now()""",
        cohort_id,
        mentee_id,
        mentor_id,
    )


async def unpin(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID) -> bool:
    done = await conn.execute(
        "DELETE FROM pins WHERE cohort_id = $1 AND mentee_id = $2", cohort_id, mentee_id
    )
    return done != "DELETE 0"


async def forget_pins_of(conn: asyncpg.Connection, participant_id: UUID) -> None:
    await conn.execute("DELETE FROM pins WHERE mentee_id = $1 OR mentor_id = $1", participant_id)


async def exclusions(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM exclusions WHERE cohort_id = $1 ORDER BY created_at", cohort_id)


async def exclude(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await conn.execute(
        "INSERT INTO exclusions (cohort_id, mentee_id, mentor_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        cohort_id,
        mentee_id,
        mentor_id,
    )
    await conn.execute(
        "DELETE FROM pins WHERE cohort_id = $1 AND mentee_id = $2 AND mentor_id = $3",
        cohort_id,
        mentee_id,
        mentor_id,
    )


async def unexclude(conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> bool:
    done = await conn.execute(
        "DELETE FROM exclusions WHERE cohort_id = $1 AND mentee_id = $2 AND mentor_id = $3",
        cohort_id,
        mentee_id,
        mentor_id,
    )
    return done != "DELETE 0"
