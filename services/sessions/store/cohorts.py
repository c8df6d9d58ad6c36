"""Cohorts as intake announces them: their name, kick-off and whether staff closed them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg

from services.sessions.domain.evaluation import CohortFacts


async def record_cohort(
    conn: asyncpg.Connection,
    cohort_id: UUID,
    name: str,
    kickoff_on: date | None,
    closing_on: date | None,
    stated_at: datetime,
) -> None:
    """The latest statement wins; a closing (closed_on) is kept whatever arrives after it."""
    await conn.execute(
        """INSERT INTO cohorts (cohort_id, name, kickoff_on, closing_on, stated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (cohort_id) DO UPDATE SET name = $2, kickoff_on = $3, closing_on = $4, stated_at = $5
           WHERE cohorts.stated_at IS NULL OR cohorts.stated_at <= $5""",
        cohort_id,
        name,
        kickoff_on,
        closing_on,
        stated_at,
    )


async def record_closed(conn: asyncpg.Connection, cohort_id: UUID, closed_on: date) -> None:
    await conn.execute(
        """INSERT INTO cohorts (cohort_id, closed_on) VALUES ($1, $2)
           ON CONFLICT (cohort_id) DO UPDATE SET closed_on = $2""",
        cohort_id,
        closed_on,
    )


async def cohort(conn: asyncpg.Connection, cohort_id: UUID) -> CohortFacts:
    """What is known; a cohort not heard of yet is neither named nor closed."""
    row = await conn.fetchrow(
        "SELECT name, kickoff_on, closed_on FROM cohorts WHERE cohort_id = $1", cohort_id
    )
    return (
        CohortFacts(row["name"], row["kickoff_on"], row["closed_on"])
        if row
        else CohortFacts(None, None, None)
    )
