"""SQL of evaluations, their scaled answers and (apart) the answers' free text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from services.sessions.domain.evaluation import Answer, Evaluation
from shared.events.sessions import EvaluationSubmitted


def _evaluation(row: asyncpg.Record) -> Evaluation:
    return Evaluation(row["evaluation_id"], row["cohort_id"], row["kind"], row["opens_on"], row["closes_on"])


async def insert(conn: asyncpg.Connection, e: Evaluation) -> bool:
    """False when the cohort has an evaluation of this kind already."""
    status = await conn.execute(
        """INSERT INTO evaluations (evaluation_id, cohort_id, kind, opens_on, closes_on)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        e.evaluation_id,
        e.cohort_id,
        e.kind,
        e.opens_on,
        e.closes_on,
    )
    return status.endswith(" 1")


async def evaluation(conn: asyncpg.Connection, evaluation_id: UUID) -> Evaluation | None:
    row = await conn.fetchrow("SELECT * FROM evaluations WHERE evaluation_id = $1", evaluation_id)
    return _evaluation(row) if row else None


async def of_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    """The cohort's evaluations with how many mentors and mentees answered (counts only)."""
    rows = await conn.fetch(
        """SELECT e.evaluation_id, e.cohort_id, e.kind, e.opens_on, e.closes_on,
                  count(*) FILTER (WHERE a.role = 'mentor') AS mentor_answers,
                  count(*) FILTER (WHERE a.role = 'mentee') AS mentee_answers
           FROM evaluations e LEFT JOIN evaluation_answers a USING (evaluation_id)
           WHERE e.cohort_id = $1 GROUP BY e.evaluation_id ORDER BY e.opens_on, e.kind""",
        cohort_id,
    )
    return [dict(row) for row in rows]


async def answered(conn: asyncpg.Connection, evaluation_ids: list[UUID], participant_id: UUID) -> set[UUID]:
    rows = await conn.fetch(
        "SELECT evaluation_id FROM evaluation_answers WHERE evaluation_id = ANY($1) AND participant_id = $2",
        evaluation_ids,
        participant_id,
    )
    return {row["evaluation_id"] for row in rows}


async def quotes_published(
    conn: asyncpg.Connection, evaluation_ids: list[UUID], participant_id: UUID
) -> set[UUID]:
    """The evaluations where this member's quote is consented to (published)."""
    rows = await conn.fetch(
        """SELECT evaluation_id FROM evaluation_texts
           WHERE evaluation_id = ANY($1) AND participant_id = $2 AND quote_consented AND quote IS NOT NULL""",
        evaluation_ids,
        participant_id,
    )
    return {row["evaluation_id"] for row in rows}


async def insert_answer(conn: asyncpg.Connection, e: EvaluationSubmitted, answer: Answer) -> bool:
    """False when the member answered already (the primary key decides under concurrency too)."""
    s = e.scores
    status = await conn.execute(
        """INSERT INTO evaluation_answers (evaluation_id, participant_id, pair_id, role, company_id,
               expectations_met, learning, openness, programme, submitted_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING""",
        e.evaluation_id, e.participant_id, e.pair_id, e.role, e.company_id,
        s.expectations_met, s.learning, s.openness, s.programme, e.submitted_on,
    )  # fmt: skip
    if not status.endswith(" 1"):
        return False
    await conn.execute(
        """INSERT INTO evaluation_texts (evaluation_id, participant_id, gave, improve, quote, quote_consented)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        e.evaluation_id,
        e.participant_id,
        answer.gave,
        answer.improve,
        answer.quote or None,
        answer.quote_consented,
    )
    return True


async def consented_quotes(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    """Consented quotes with the author's role and the evaluation's closing day: nothing that names them."""
    rows = await conn.fetch(
        """SELECT a.role, e.kind, e.closes_on, t.quote FROM evaluation_texts t
           JOIN evaluation_answers a USING (evaluation_id, participant_id)
           JOIN evaluations e USING (evaluation_id)
           WHERE e.cohort_id = $1 AND t.quote_consented AND t.quote IS NOT NULL
           ORDER BY md5(t.quote)""",
        cohort_id,
    )
    return [dict(row) for row in rows]


async def withdraw_quote_consent(conn: asyncpg.Connection, evaluation_id: UUID, participant_id: UUID) -> bool:
    """The author takes back their consent to publish the quote (which stays theirs, unpublished);
    False when nothing was consented."""
    status = await conn.execute(
        """UPDATE evaluation_texts SET quote_consented = false
           WHERE evaluation_id = $1 AND participant_id = $2 AND quote_consented""",
        evaluation_id,
        participant_id,
    )
    return status.endswith(" 1")


async def member(conn: asyncpg.Connection, pair_id: UUID, role: str) -> tuple[UUID, UUID | None] | None:
    """The member's participant id and company, from the pair as matching announced it."""
    row = await conn.fetchrow(
        """SELECT CASE WHEN $2 = 'mentor' THEN mentor_id ELSE mentee_id END AS participant_id,
                  CASE WHEN $2 = 'mentor' THEN mentor_company_id ELSE mentee_company_id END AS company_id
           FROM pairs WHERE pair_id = $1""",
        pair_id,
        role,
    )
    return (row["participant_id"], row["company_id"]) if row else None


async def delete_texts_of(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """Erasure: what they wrote in evaluations (and any quote); their scaled answers stay and count."""
    await conn.execute(
        "DELETE FROM evaluation_texts WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )
