"""The programme year of a cohort: its timeline, agreements and evaluations (staff); a partner company
gets the timeline and its own pairs' agreement count only, never evaluation answers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from services.reporting.entrypoints.http.deps import Company, Pool, Staff
from services.reporting.service_layer import year
from shared.http.errors import responses

router = APIRouter(prefix="/api", tags=["reporting"])


@router.get(
    "/programme/cohorts/{cohort_id}/year",
    summary="Staff: the cohort's timeline, agreements, evaluation response rates and averages, quotes",
    description=(
        "Per evaluation and role: members who could answer, answers, response rate and the average of each "
        'scaled question; per company the number of answers and averages, "<3" (and no averages) below 3. '
        "And the consented quotes, signed only by role and year ('Mentor 2027'): each travels sealed under "
        "its author's key (EvaluationQuoteConsented) and is dropped when withdrawn or its author erased."
    ),
    responses=responses(401, 403, 404, 422),
)
async def staff_year(cohort_id: UUID, _: Staff, pool: Pool, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "no-store"
    return await year.staff_year(pool, cohort_id)


@router.get(
    "/company/cohorts/{cohort_id}/year",
    summary="A partner company: the cohort's timeline and how many of its pairs have an agreement",
    description="No evaluation data at all: answers never reach a partner company.",
    responses=responses(401, 403, 404, 422),
)
async def company_year(cohort_id: UUID, who: Company, pool: Pool, response: Response) -> dict[str, Any]:
    assert who.company_id is not None
    response.headers["Cache-Control"] = "no-store"
    return await year.company_year(pool, who.company_id, cohort_id)
