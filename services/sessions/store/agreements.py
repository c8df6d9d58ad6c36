"""SQL of pairs' agreements (the terms are the pair's free text: selected only for its members)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.sessions.domain.agreement import Agreement

_COLUMNS = (
    "pair_id, cohort_id, frequency, terms, recorded_on, recorded_by, mentor_confirmed_on, "
    "mentee_confirmed_on, version"
)


async def agreement(conn: asyncpg.Connection, pair_id: UUID, lock: bool = False) -> Agreement | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM agreements WHERE pair_id = $1" + (" FOR UPDATE" if lock else ""),  # noqa: S608
        pair_id,
    )
    return Agreement(**dict(row)) if row else None


async def save(conn: asyncpg.Connection, a: Agreement) -> None:
    await conn.execute(
        f"""INSERT INTO agreements ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (pair_id) DO UPDATE SET frequency = $3, terms = $4, recorded_on = $5,
                recorded_by = $6, mentor_confirmed_on = $7, mentee_confirmed_on = $8, version = $9""",  # noqa: S608
        a.pair_id,
        a.cohort_id,
        a.frequency,
        a.terms,
        a.recorded_on,
        a.recorded_by,
        a.mentor_confirmed_on,
        a.mentee_confirmed_on,
        a.version,
    )


async def sessions_held(conn: asyncpg.Connection, pair_id: UUID) -> int:
    """Live (not retracted) sessions the pair logged: the agreement comes at or after the first."""
    return int(
        await conn.fetchval("SELECT count(*) FROM sessions WHERE pair_id = $1 AND NOT retracted", pair_id)
    )


async def of_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, object]]:
    """Staff's overview: each pair's agreement without its terms."""
    rows = await conn.fetch(
        """SELECT pair_id, frequency, recorded_on, mentor_confirmed_on, mentee_confirmed_on, version
           FROM agreements WHERE cohort_id = $1 ORDER BY recorded_on, pair_id""",
        cohort_id,
    )
    return [dict(row) for row in rows]


async def blank_terms_of_members(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """Erasure: the terms (free text) of every agreement of a pair one of them is a member of; the
    agreement itself stays, so the pair still counts as having one."""
    await conn.execute(
        """UPDATE agreements a SET terms = '' FROM pairs p
           WHERE a.pair_id = p.pair_id AND (p.mentee_id = ANY($1::uuid[]) OR p.mentor_id = ANY($1::uuid[]))""",
        list(participant_ids),
    )
