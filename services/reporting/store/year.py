"""SQL of the programme year: pairs' agreements, evaluations and their scaled answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

import asyncpg


class AgreementRow(NamedTuple):
    pair_id: UUID
    cohort_id: UUID
    frequency: str
    recorded_on: date
    confirmed_by_mentor: bool
    confirmed_by_mentee: bool
    version: int


class EvaluationRow(NamedTuple):
    evaluation_id: UUID
    cohort_id: UUID
    kind: str
    opens_on: date
    closes_on: date


class AnswerRow(NamedTuple):
    evaluation_id: UUID
    participant_id: UUID
    cohort_id: UUID
    role: str
    company_id: UUID | None
    expectations_met: int
    learning: int
    openness: int
    programme: int


class QuoteRow(NamedTuple):
    evaluation_id: UUID
    participant_id: UUID
    cohort_id: UUID
    kind: str
    role: str
    year: int
    quote: str


SCORES = ("expectations_met", "learning", "openness", "programme")


async def state_agreements(conn: asyncpg.Connection, rows: Sequence[AgreementRow]) -> None:
    """Each statement is the whole agreement; the highest version wins, whatever the arrival order."""
    await conn.executemany(
        """INSERT INTO agreements (pair_id, cohort_id, frequency, recorded_on, confirmed_by_mentor,
                                   confirmed_by_mentee, version) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (pair_id) DO UPDATE SET frequency = $3, recorded_on = $4, confirmed_by_mentor = $5,
               confirmed_by_mentee = $6, version = $7
           WHERE agreements.version < $7""",
        rows,
    )


async def open_evaluations(conn: asyncpg.Connection, rows: Sequence[EvaluationRow]) -> None:
    await conn.executemany(
        """INSERT INTO evaluations (evaluation_id, cohort_id, kind, opens_on, closes_on)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        rows,
    )


async def record_answers(conn: asyncpg.Connection, rows: Sequence[AnswerRow]) -> None:
    """A member answers once: a second statement of the same answer changes nothing."""
    await conn.executemany(
        """INSERT INTO evaluation_answers (evaluation_id, participant_id, cohort_id, role, company_id,
               expectations_met, learning, openness, programme) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT DO NOTHING""",
        rows,
    )


async def agreements(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    """Every matched pair of the cohort with its agreement, if any, and its two companies."""
    rows = await conn.fetch(
        """SELECT p.pair_id, p.mentee_company_id, p.mentor_company_id, p.ended_on,
                  mentee.display_name AS mentee_name, mentor.display_name AS mentor_name,
                  a.frequency, a.recorded_on, a.confirmed_by_mentor, a.confirmed_by_mentee
           FROM pairs p
           LEFT JOIN agreements a USING (pair_id)
           LEFT JOIN participants mentee ON mentee.participant_id = p.mentee_id
           LEFT JOIN participants mentor ON mentor.participant_id = p.mentor_id
           WHERE p.cohort_id = $1 AND p.matched_at IS NOT NULL
           ORDER BY mentee.display_name NULLS LAST, p.pair_id""",
        cohort_id,
    )
    return [dict(r) for r in rows]


async def evaluations(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    """Each evaluation with how many mentors and mentees could answer: members of pairs matched and not
    ended before it opened."""
    rows = await conn.fetch(
        """SELECT e.*,
                  (SELECT count(DISTINCT p.mentor_id) FROM pairs p WHERE p.cohort_id = e.cohort_id
                     AND p.matched_at IS NOT NULL AND (p.ended_on IS NULL OR p.ended_on >= e.opens_on))
                     AS mentors,
                  (SELECT count(DISTINCT p.mentee_id) FROM pairs p WHERE p.cohort_id = e.cohort_id
                     AND p.matched_at IS NOT NULL AND (p.ended_on IS NULL OR p.ended_on >= e.opens_on))
                     AS mentees
           FROM evaluations e WHERE e.cohort_id = $1 ORDER BY e.opens_on, e.kind""",
        cohort_id,
    )
    return [dict(r) for r in rows]


async def answers(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""SELECT evaluation_id, role, company_id, {", ".join(SCORES)}
            FROM evaluation_answers WHERE cohort_id = $1""",  # noqa: S608 - fixed column names
        cohort_id,
    )
    return [dict(r) for r in rows]


async def company_has_people_in(conn: asyncpg.Connection, company_id: UUID, cohort_id: UUID) -> bool:
    return bool(
        await conn.fetchval(
            """SELECT EXISTS (SELECT 1 FROM participants WHERE cohort_id = $1 AND company_id = $2)
                   OR EXISTS (SELECT 1 FROM pairs WHERE cohort_id = $1 AND matched_at IS NOT NULL
                              AND $2 IN (mentee_company_id, mentor_company_id))""",
            cohort_id,
            company_id,
        )
    )


async def company_names(conn: asyncpg.Connection) -> dict[UUID, str]:
    return {r["company_id"]: r["name"] for r in await conn.fetch("SELECT company_id, name FROM companies")}


async def record_quotes(conn: asyncpg.Connection, rows: Sequence[QuoteRow]) -> None:
    """Consented quotes, once each. Not for an erased author (`erased_subjects`: their erasure may be
    applied before their consent in a replay), and a withdrawn one stays withdrawn."""
    await conn.executemany(
        """INSERT INTO evaluation_quotes (evaluation_id, participant_id, cohort_id, kind, role, year, quote)
           SELECT $1, $2, $3, $4, $5, $6, $7
           WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject = $2)
           ON CONFLICT DO NOTHING""",
        rows,
    )


async def withdraw_quotes(conn: asyncpg.Connection, rows: Sequence[tuple[UUID, UUID, UUID]]) -> None:
    """(evaluation_id, participant_id, cohort_id): the text goes, a row stays to say it was withdrawn."""
    await conn.executemany(
        """INSERT INTO evaluation_quotes (evaluation_id, participant_id, cohort_id, kind, role, year, quote,
                                          withdrawn)
           VALUES ($1, $2, $3, '', '', 0, NULL, true)
           ON CONFLICT (evaluation_id, participant_id) DO UPDATE SET quote = NULL, withdrawn = true""",
        rows,
    )


async def drop_quotes_of(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """Erasure: the person's quotes go, whatever they said."""
    await conn.execute(
        "DELETE FROM evaluation_quotes WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )


async def quotes(conn: asyncpg.Connection, cohort_id: UUID) -> list[dict[str, Any]]:
    """The cohort's published quotes: role, year and the evaluation's kind; never who wrote them."""
    rows = await conn.fetch(
        """SELECT role, year, kind, quote FROM evaluation_quotes
           WHERE cohort_id = $1 AND NOT withdrawn AND quote IS NOT NULL
           ORDER BY kind, md5(quote)""",
        cohort_id,
    )
    return [dict(r) for r in rows]
