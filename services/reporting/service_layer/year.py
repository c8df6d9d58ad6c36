"""The programme-year report of a cohort: for staff whole, for a partner company without evaluations."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from services.reporting.domain import year
from services.reporting.domain.errors import cohort_not_found
from services.reporting.domain.model import Cohort
from services.reporting.store import year as stored
from services.reporting.store.cohorts import cohort_of


async def staff_year(pool: asyncpg.Pool, cohort_id: UUID) -> dict[str, Any]:
    """Timeline, every pair's agreement, every evaluation's response rates, averages and companies, and
    the consented quotes signed by role and year."""
    async with pool.acquire() as conn:
        cohort = await _cohort(conn, cohort_id)
        pairs = await stored.agreements(conn, cohort_id)
        evaluations = await stored.evaluations(conn, cohort_id)
        answers = await stored.answers(conn, cohort_id)
        names = await stored.company_names(conn)
        quotes = await stored.quotes(conn, cohort_id)
    return {
        "timeline": year.timeline(cohort),
        "agreements": year.agreement_figures(pairs),
        "evaluations": [year.evaluation_figures(e, answers, names) for e in evaluations],
        "quotes": [year.published_quote(q) for q in quotes],
    }


async def company_year(pool: asyncpg.Pool, company_id: UUID, cohort_id: UUID) -> dict[str, Any]:
    """Timeline and how many of its pairs have an agreement: no evaluation data reaches a company."""
    async with pool.acquire() as conn:
        cohort = await _cohort(conn, cohort_id)
        if not await stored.company_has_people_in(conn, company_id, cohort_id):
            raise cohort_not_found()
        pairs = await stored.agreements(conn, cohort_id)
    return {"timeline": year.timeline(cohort), "agreements": year.company_agreement_counts(pairs, company_id)}


async def _cohort(conn: asyncpg.Connection, cohort_id: UUID) -> Cohort:
    row = await conn.fetchrow("SELECT * FROM cohorts WHERE cohort_id = $1", cohort_id)
    if row is None:
        raise cohort_not_found()
    return cohort_of(row)
