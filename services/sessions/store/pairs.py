"""The pairs sessions knows, projected from matching's events, and pair ids staff used too early."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.sessions.domain.model import Pair


async def record_pair_matched(
    conn: asyncpg.Connection,
    *,
    pair_id: UUID,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    matched_on: date,
    mentee_company_id: UUID | None = None,
    mentor_company_id: UUID | None = None,
) -> None:
    """Upsert: a PairEnded that came first keeps its end date."""
    await conn.execute(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, matched_on,
                              mentee_company_id, mentor_company_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (pair_id) DO UPDATE SET cohort_id = $2, mentee_id = $3, mentor_id = $4,
               matched_on = $5, mentee_company_id = $6, mentor_company_id = $7, updated_at = now()""",
        pair_id,
        cohort_id,
        mentee_id,
        mentor_id,
        matched_on,
        mentee_company_id,
        mentor_company_id,
    )
    await conn.execute("DELETE FROM unknown_pair_sightings WHERE pair_id = $1", pair_id)


async def record_pair_ended(
    conn: asyncpg.Connection,
    *,
    pair_id: UUID,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    ended_on: date,
) -> None:
    """Upsert: before its PairMatched arrives the pair is known as ended but not matched."""
    await conn.execute(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, ended_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pair_id) DO UPDATE SET ended_on = $5, updated_at = now()""",
        pair_id,
        cohort_id,
        mentee_id,
        mentor_id,
        ended_on,
    )


def _pair(row: asyncpg.Record) -> Pair:
    return Pair(row["pair_id"], row["cohort_id"], row["matched_on"], row["ended_on"])


async def pair(conn: asyncpg.Connection, pair_id: UUID, lock: bool = False) -> Pair | None:
    """With lock, the row is held (FOR SHARE) until the transaction ends: its end date cannot change."""
    row = await conn.fetchrow(
        "SELECT pair_id, cohort_id, matched_on, ended_on FROM pairs WHERE pair_id = $1"
        + (" FOR SHARE" if lock else ""),
        pair_id,
    )
    return _pair(row) if row else None


async def pairs(conn: asyncpg.Connection, cohort_id: UUID | None) -> list[dict[str, Any]]:
    """Staff's list: each pair, its members' names, how many live sessions it logged, when it last met."""
    rows = await conn.fetch(
        """SELECT p.pair_id, p.cohort_id, p.mentee_id, p.mentor_id, p.matched_on, p.ended_on,
                  mentee.display_name AS mentee_name, mentor.display_name AS mentor_name,
                  count(s.session_id) AS sessions, max(s.held_on) AS last_held_on
           FROM pairs p
           LEFT JOIN sessions s ON s.pair_id = p.pair_id AND NOT s.retracted
           LEFT JOIN participants mentee ON mentee.participant_id = p.mentee_id
           LEFT JOIN participants mentor ON mentor.participant_id = p.mentor_id
           WHERE $1::uuid IS NULL OR p.cohort_id = $1
           GROUP BY p.pair_id, mentee.display_name, mentor.display_name
           ORDER BY p.matched_on NULLS LAST, p.pair_id""",
        cohort_id,
    )
    return [dict(row) for row in rows]


async def pair_members(conn: asyncpg.Connection, pair_id: UUID) -> dict[str, UUID]:
    row = await conn.fetchrow("SELECT mentee_id, mentor_id FROM pairs WHERE pair_id = $1", pair_id)
    return {"mentee": row["mentee_id"], "mentor": row["mentor_id"]} if row else {}


async def pair_card(conn: asyncpg.Connection, pair_id: UUID) -> list[dict[str, Any]]:
    """The pair's two members as its members see each other: role, name, company and its HR contact.

    Anything not received yet (a name, a company) is None."""
    rows = await conn.fetch(
        """SELECT m.role, m.participant_id, person.display_name AS name, c.name AS company,
                  c.hr_contact_name, c.hr_contact_email
           FROM pairs p
           CROSS JOIN LATERAL (VALUES ('mentee', p.mentee_id, p.mentee_company_id),
                                      ('mentor', p.mentor_id, p.mentor_company_id))
                AS m (role, participant_id, company_id)
           LEFT JOIN participants person ON person.participant_id = m.participant_id
           LEFT JOIN companies c ON c.company_id = m.company_id
           WHERE p.pair_id = $1
           ORDER BY m.role""",
        pair_id,
    )
    return [dict(row) for row in rows]


async def sight_unknown_pair(conn: asyncpg.Connection, pair_id: UUID) -> datetime:
    """Note that staff used this pair id; returns when it was first used."""
    first_seen: datetime = await conn.fetchval(
        """INSERT INTO unknown_pair_sightings (pair_id) VALUES ($1)
           ON CONFLICT (pair_id) DO UPDATE SET last_seen_at = now(),
               attempts = unknown_pair_sightings.attempts + 1
           RETURNING first_seen_at""",
        pair_id,
    )
    return first_seen
