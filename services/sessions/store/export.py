"""SQL of a participant's data export: the pairs that name one person, their sessions and histories,
the notes the person wrote (never the other member's), the pair's agreement and the person's own
evaluation answers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def member_of_pair(conn: asyncpg.Connection, pair_id: UUID, role: str) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        f"SELECT {'mentee_id' if role == 'mentee' else 'mentor_id'} FROM pairs WHERE pair_id = $1", pair_id
    )
    return found


async def participant_rows(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any]:
    """Per pair naming the person: the pair, their seat's token (never its hash), the pair's sessions
    with every version, and the notes of the versions the person recorded, as (session, version, notes)."""
    person = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1", participant_id)
    pairs = await conn.fetch(
        """SELECT p.*, CASE WHEN p.mentee_id = $1 THEN 'mentee' ELSE 'mentor' END AS role
           FROM pairs p WHERE p.mentee_id = $1 OR p.mentor_id = $1 ORDER BY p.matched_on, p.pair_id""",
        participant_id,
    )
    found = []
    for pair in pairs:
        pair_id, role = pair["pair_id"], pair["role"]
        token = await conn.fetchrow(
            "SELECT generation, issued_at FROM member_tokens WHERE pair_id = $1 AND role = $2", pair_id, role
        )
        sessions = await conn.fetch(
            """SELECT session_id, cohort_id, held_on, started_at, duration_minutes, format, tools, rating,
                      logged_by, version, retracted, logged_at
               FROM sessions WHERE pair_id = $1 ORDER BY started_at, session_id""",
            pair_id,
        )
        versions = await conn.fetch(
            """SELECT v.session_id, v.version, v.kind, v.held_on, v.started_at, v.duration_minutes, v.format,
                      v.tools, v.rating, v.recorded_by, v.retraction_reason, v.recorded_at
               FROM session_versions v JOIN sessions s USING (session_id)
               WHERE s.pair_id = $1 ORDER BY v.session_id, v.version""",
            pair_id,
        )
        notes = await conn.fetch(
            """SELECT n.session_id, n.version, n.notes
               FROM session_notes n
               JOIN session_versions v ON v.session_id = n.session_id AND v.version = n.version
               JOIN sessions s ON s.session_id = n.session_id
               WHERE s.pair_id = $1 AND v.recorded_by = $2 ORDER BY n.session_id, n.version""",
            pair_id,
            role,
        )
        agreement = await conn.fetchrow("SELECT * FROM agreements WHERE pair_id = $1", pair_id)
        found.append(
            {
                "pair": {k: v for k, v in dict(pair).items() if k != "updated_at"},
                "agreement": dict(agreement) if agreement else None,
                "personal_token": dict(token) if token else None,
                "sessions": [dict(s) for s in sessions],
                "session_versions": [dict(v) for v in versions],
                "own_notes": [dict(n) for n in notes],
            }
        )
    answers = await conn.fetch(
        """SELECT a.*, e.kind, t.gave, t.improve, t.quote, t.quote_consented
           FROM evaluation_answers a JOIN evaluations e USING (evaluation_id)
           LEFT JOIN evaluation_texts t USING (evaluation_id, participant_id)
           WHERE a.participant_id = $1 ORDER BY a.submitted_on""",
        participant_id,
    )
    return {
        "participant": dict(person) if person else None,
        "pairs": found,
        "evaluation_answers": [dict(a) for a in answers],
    }
