"""Pairs: approved matches, until they end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg import Record

from shared.privacy import ERASED


async def add_pairs(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    await conn.executemany(
        """INSERT INTO pairs (pair_id, cohort_id, run_id, mentee_id, mentor_id, mentee_company_id,
                              mentor_company_id, score, explanation)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        rows,
    )


async def pairs(conn: asyncpg.Connection, cohort_id: UUID, *, active_only: bool = False) -> list[Record]:
    active = " AND p.ended_on IS NULL" if active_only else ""
    return await conn.fetch(
        f"""SELECT p.*, e.display_name AS mentee_name, m.display_name AS mentor_name FROM pairs p
            LEFT JOIN participants e ON e.participant_id = p.mentee_id
            LEFT JOIN participants m ON m.participant_id = p.mentor_id
            WHERE p.cohort_id = $1{active} ORDER BY p.matched_at, p.mentee_id""",
        cohort_id,
    )


async def pairs_of_run(conn: asyncpg.Connection, run_id: UUID) -> list[Record]:
    return await conn.fetch("SELECT * FROM pairs WHERE run_id = $1 ORDER BY score DESC, mentee_id", run_id)


async def pair(conn: asyncpg.Connection, pair_id: UUID, *, for_update: bool = False) -> Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM pairs WHERE pair_id = $1{lock}", pair_id)


async def active_pairs_of(conn: asyncpg.Connection, participant_id: UUID) -> list[Record]:
    return await conn.fetch(
        "SELECT * FROM pairs WHERE (mentee_id = $1 OR mentor_id = $1) AND ended_on IS NULL", participant_id
    )


async def never_again(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    """Pairs of this cohort's people that ended with "do not match again"."""
    return await conn.fetch(
        """SELECT DISTINCT p.mentee_id, p.mentor_id FROM pairs p
           JOIN participants e ON e.participant_id = p.mentee_id
           WHERE e.cohort_id = $1 AND p.do_not_rematch""",
        cohort_id,
    )


async def end_pair(
    conn: asyncpg.Connection, pair_id: UUID, ended_on: date, reason: str, do_not_rematch: bool
) -> Record:
    row = await conn.fetchrow(
        """UPDATE pairs SET ended_on = $2, end_reason = $3, do_not_rematch = $4
           WHERE pair_id = $1 RETURNING *""",
        pair_id,
        ended_on,
        reason,
        do_not_rematch,
    )
    assert row is not None
    return row


async def erase_end_reasons(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """The reason staff wrote when a pair of an erased person ended may name them: it reads as erased."""
    await conn.execute(
        """UPDATE pairs SET end_reason = $2
           WHERE end_reason IS NOT NULL AND (mentee_id = ANY($1::uuid[]) OR mentor_id = ANY($1::uuid[]))""",
        list(participant_ids),
        ERASED,
    )
