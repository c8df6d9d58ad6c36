"""SQL for intake's projection of other services' events, what the reminder rules read: pairs,
sessions held, agreements, evaluations and who answered them. Every write is idempotent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from uuid import UUID

import asyncpg

from services.intake.domain.reminders.rules import EvaluationFacts, PairFacts


async def record_pair(
    conn: asyncpg.Connection,
    pair_id: UUID,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    matched_at: datetime,
) -> None:
    await conn.execute(
        """INSERT INTO reminder_pairs (pair_id, cohort_id, mentee_id, mentor_id, matched_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pair_id) DO NOTHING""",
        pair_id,
        cohort_id,
        mentee_id,
        mentor_id,
        matched_at,
    )


async def record_pair_ended(conn: asyncpg.Connection, pair_id: UUID, ended_on: date) -> None:
    await conn.execute("UPDATE reminder_pairs SET ended_on = $2 WHERE pair_id = $1", pair_id, ended_on)


async def record_session(
    conn: asyncpg.Connection, session_id: UUID, pair_id: UUID, held_on: date, version: int
) -> None:
    """Held or corrected: the statement with the highest version wins (0 when the event gave none)."""
    await conn.execute(
        """INSERT INTO reminder_sessions (session_id, pair_id, held_on, version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (session_id) DO UPDATE SET held_on = $3, version = $4
           WHERE reminder_sessions.version <= $4""",
        session_id,
        pair_id,
        held_on,
        version,
    )


async def retract_session(conn: asyncpg.Connection, session_id: UUID, pair_id: UUID) -> None:
    """Final, also when it arrives before the session it retracts (held_on is then a placeholder)."""
    await conn.execute(
        """INSERT INTO reminder_sessions (session_id, pair_id, held_on, version, retracted)
           VALUES ($1, $2, '-infinity', 2147483647, true)
           ON CONFLICT (session_id) DO UPDATE SET retracted = true""",
        session_id,
        pair_id,
    )


async def record_agreement(conn: asyncpg.Connection, pair_id: UUID, recorded_on: date) -> None:
    await conn.execute(
        """INSERT INTO reminder_agreements (pair_id, recorded_on) VALUES ($1, $2)
           ON CONFLICT (pair_id) DO UPDATE SET recorded_on = least(reminder_agreements.recorded_on, $2)""",
        pair_id,
        recorded_on,
    )


async def record_evaluation(
    conn: asyncpg.Connection,
    evaluation_id: UUID,
    cohort_id: UUID,
    kind: str,
    opens_on: date,
    closes_on: date,
) -> None:
    await conn.execute(
        """INSERT INTO reminder_evaluations (evaluation_id, cohort_id, kind, opens_on, closes_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (evaluation_id) DO UPDATE SET opens_on = $4, closes_on = $5""",
        evaluation_id,
        cohort_id,
        kind,
        opens_on,
        closes_on,
    )


async def record_answer(conn: asyncpg.Connection, evaluation_id: UUID, participant_id: UUID) -> None:
    await conn.execute(
        """INSERT INTO reminder_evaluation_answers (evaluation_id, participant_id) VALUES ($1, $2)
           ON CONFLICT DO NOTHING""",
        evaluation_id,
        participant_id,
    )


async def pairs(conn: asyncpg.Connection, zone: str) -> list[PairFacts]:
    """Every pair still matched (its matching day in `zone`), with the days of its sessions (not
    retracted) and its agreement. A pair of a cohort staff closed (intake's own cohorts) is left out."""
    held: dict[UUID, list[date]] = defaultdict(list)
    for row in await conn.fetch(
        """SELECT s.pair_id, s.held_on FROM reminder_sessions s
           JOIN reminder_pairs p USING (pair_id) WHERE p.ended_on IS NULL AND NOT s.retracted"""
    ):
        held[row["pair_id"]].append(row["held_on"])
    rows = await conn.fetch(
        """SELECT p.*, (p.matched_at AT TIME ZONE $1)::date AS matched_on, a.recorded_on
           FROM reminder_pairs p LEFT JOIN reminder_agreements a USING (pair_id)
           WHERE p.ended_on IS NULL
             AND NOT EXISTS (SELECT 1 FROM cohorts c WHERE c.cohort_id = p.cohort_id AND c.closed_on IS NOT NULL)
           ORDER BY p.pair_id""",
        zone,
    )
    return [
        PairFacts(
            pair_id=r["pair_id"],
            cohort_id=r["cohort_id"],
            mentee_id=r["mentee_id"],
            mentor_id=r["mentor_id"],
            matched_on=r["matched_on"],
            ended_on=r["ended_on"],
            sessions_on=tuple(sorted(held.get(r["pair_id"], ()))),
            agreement_on=r["recorded_on"],
        )
        for r in rows
    ]


async def open_evaluations(conn: asyncpg.Connection, today: date) -> list[EvaluationFacts]:
    rows = await conn.fetch(
        """SELECT e.*, coalesce(array_agg(a.participant_id) FILTER (WHERE a.participant_id IS NOT NULL),
                                '{}') AS answered
           FROM reminder_evaluations e LEFT JOIN reminder_evaluation_answers a USING (evaluation_id)
           WHERE e.opens_on <= $1 AND e.closes_on >= $1 GROUP BY e.evaluation_id ORDER BY e.evaluation_id""",
        today,
    )
    return [
        EvaluationFacts(
            evaluation_id=r["evaluation_id"],
            cohort_id=r["cohort_id"],
            kind=r["kind"],
            opens_on=r["opens_on"],
            closes_on=r["closes_on"],
            answered_by=frozenset(r["answered"]),
        )
        for r in rows
    ]


async def clear(conn: asyncpg.Connection) -> None:
    """A rebuild starts the projection from nothing (decided reminders and opt-outs are intake's own
    records, not a projection: they stay)."""
    await conn.execute(
        "TRUNCATE reminder_pairs, reminder_sessions, reminder_agreements, reminder_evaluations,"
        " reminder_evaluation_answers"
    )
