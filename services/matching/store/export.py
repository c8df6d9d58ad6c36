"""SQL of a participant's data export: every row matching keeps that names one person."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


def _rows(rows: list[asyncpg.Record]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


async def participant_rows(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any]:
    """Their profile as matching received it, every proposal, pin, exclusion and pair naming them, and
    the runs that left them unmatched (with the reason)."""
    person = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1", participant_id)
    proposals = await conn.fetch(
        """SELECT p.run_id, r.cohort_id, r.status AS run_status, r.created_at AS run_created_at,
                  p.mentee_id, p.mentor_id, p.score, p.explanation, p.pinned
           FROM proposals p JOIN runs r USING (run_id)
           WHERE p.mentee_id = $1 OR p.mentor_id = $1 ORDER BY r.created_at, p.run_id""",
        participant_id,
    )
    unmatched = await conn.fetch(
        """SELECT r.run_id, r.cohort_id, r.status AS run_status, r.created_at AS run_created_at,
                  u->>'reason' AS reason, u->>'code' AS code
           FROM runs r, jsonb_array_elements(r.unmatched) u
           WHERE (u->>'mentee_id')::uuid = $1 ORDER BY r.created_at""",
        participant_id,
    )
    pins = await conn.fetch(
        "SELECT * FROM pins WHERE mentee_id = $1 OR mentor_id = $1 ORDER BY created_at", participant_id
    )
    exclusions = await conn.fetch(
        "SELECT * FROM exclusions WHERE mentee_id = $1 OR mentor_id = $1 ORDER BY created_at", participant_id
    )
    pairs = await conn.fetch(
        "SELECT * FROM pairs WHERE mentee_id = $1 OR mentor_id = $1 ORDER BY matched_at", participant_id
    )
    return {
        "participant": dict(person) if person else None,
        "proposals": _rows(proposals),
        "left_unmatched": _rows(unmatched),
        "pins": _rows(pins),
        "exclusions": _rows(exclusions),
        "pairs": _rows(pairs),
    }
