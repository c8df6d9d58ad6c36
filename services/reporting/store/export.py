"""SQL of a participant's data export: the rows of reporting's projections that are about one person."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def participant_rows(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any]:
    """Their participant row (with company and cohort names), their pairs and those pairs' sessions."""
    person = await conn.fetchrow(
        """SELECT p.*, c.name AS company_name, h.name AS cohort_name
           FROM participants p LEFT JOIN companies c USING (company_id) LEFT JOIN cohorts h USING (cohort_id)
           WHERE p.participant_id = $1""",
        participant_id,
    )
    pairs = await conn.fetch(
        "SELECT * FROM pairs WHERE mentee_id = $1 OR mentor_id = $1 ORDER BY matched_at, pair_id",
        participant_id,
    )
    sessions = await conn.fetch(
        """SELECT s.* FROM sessions s JOIN pairs p USING (pair_id)
           WHERE p.mentee_id = $1 OR p.mentor_id = $1 ORDER BY s.started_at, s.session_id""",
        participant_id,
    )
    quotes = await conn.fetch(
        """SELECT evaluation_id, kind, role, year, quote FROM evaluation_quotes
           WHERE participant_id = $1 AND NOT withdrawn ORDER BY year, kind""",
        participant_id,
    )
    return {
        "participant": dict(person) if person else None,
        "quotes": [dict(r) for r in quotes],
        "pairs": [dict(r) for r in pairs],
        "sessions": [dict(r) for r in sessions],
    }
