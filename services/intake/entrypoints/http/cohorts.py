"""Cohorts: staff open them and move their windows; companies list them to know where to register."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.intake.domain.cohort import CohortChanges, NewCohort
from services.intake.entrypoints.http.auth import STAFF, StaffOrCompany
from services.intake.entrypoints.http.deps import Pool, Settings
from services.intake.entrypoints.http.schemas import CohortOut
from services.intake.service_layer import cohorts
from shared.http.errors import responses

router = APIRouter(prefix="/v1/cohorts", tags=["cohorts"])


@router.post(
    "",
    status_code=201,
    response_model=CohortOut,
    dependencies=STAFF,
    summary="Open a cohort (staff)",
    description="A programme round with its intake window (both dates inclusive). Publishes CohortOpened.",
    responses=responses(401, 409, 422),
)
async def create_cohort(body: NewCohort, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await cohorts.create_cohort(pool, body, settings.programme_timezone)


@router.get(
    "", response_model=list[CohortOut], summary="List cohorts (staff and companies)", responses=responses(401)
)
async def list_cohorts(_: StaffOrCompany, pool: Pool, settings: Settings) -> list[dict[str, Any]]:
    return await cohorts.list_cohorts(pool, settings.programme_timezone)


@router.get("/{cohort_id}", response_model=CohortOut, summary="One cohort", responses=responses(401, 404))
async def get_cohort(cohort_id: UUID, _: StaffOrCompany, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await cohorts.get_cohort(pool, cohort_id, settings.programme_timezone)


@router.patch(
    "/{cohort_id}",
    response_model=CohortOut,
    dependencies=STAFF,
    summary="Rename a cohort, move its intake window or set its timeline (staff)",
    description=(
        "Close intake early by moving intake_closes_on, or extend it; set or move the kick-off, mid-point "
        "and closing dates (in that order, after intake opens). Publishes CohortUpdated. A closed cohort "
        "is refused (409 cohort_closed)."
    ),
    responses=responses(401, 404, 409, 422),
)
async def change_cohort(
    cohort_id: UUID, body: CohortChanges, pool: Pool, settings: Settings
) -> dict[str, Any]:
    return await cohorts.change_cohort(pool, cohort_id, body, settings.programme_timezone)


@router.post(
    "/{cohort_id}/closure",
    response_model=CohortOut,
    dependencies=STAFF,
    summary="Close a cohort (staff)",
    description=(
        "The programme year is over: publishes CohortClosed once (closing again changes nothing). After it "
        "intake takes no registrations or changes, and sessions takes no new sessions, agreements or "
        "evaluation answers for the cohort; everything recorded stays readable."
    ),
    responses=responses(401, 404),
)
async def close_cohort(cohort_id: UUID, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await cohorts.close_cohort(pool, cohort_id, settings.programme_timezone)
