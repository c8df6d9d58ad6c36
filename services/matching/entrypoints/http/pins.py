"""Pins and exclusions: staff's choices about single pairs for the cohort's later runs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from services.matching.entrypoints.http.deps import STAFF, Pool, refusals
from services.matching.entrypoints.http.schemas import ChoiceOut, PairIn
from services.matching.service_layer import pins

router = APIRouter(prefix="/v1/cohorts/{cohort_id}", dependencies=STAFF, tags=["pins and exclusions"])


@router.post(
    "/pins",
    status_code=status.HTTP_201_CREATED,
    response_model=ChoiceOut,
    summary="Pin a pair for later runs",
    description="422 when the pair breaks a hard rule; 409 when the mentee is already in an active pair.",
    responses=refusals(404, 409, 422, rule_broken=True),
)
async def pin(cohort_id: UUID, body: PairIn, pool: Pool) -> dict[str, Any]:
    return await pins.add_pin(pool, cohort_id, body.mentee_id, body.mentor_id)


@router.delete(
    "/pins/{mentee_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a pin",
    responses=refusals(404, 422),
)
async def unpin(cohort_id: UUID, mentee_id: UUID, pool: Pool) -> None:
    await pins.remove_pin(pool, cohort_id, mentee_id)


@router.post(
    "/exclusions",
    status_code=status.HTTP_201_CREATED,
    response_model=ChoiceOut,
    summary="Never propose this pair",
    responses=refusals(404, 422, rule_broken=True),
)
async def exclude(cohort_id: UUID, body: PairIn, pool: Pool) -> dict[str, Any]:
    return await pins.add_exclusion(pool, cohort_id, body.mentee_id, body.mentor_id)


@router.delete(
    "/exclusions/{mentee_id}/{mentor_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Lift an exclusion",
    responses=refusals(404, 422),
)
async def unexclude(cohort_id: UUID, mentee_id: UUID, mentor_id: UUID, pool: Pool) -> None:
    await pins.lift_exclusion(pool, cohort_id, mentee_id, mentor_id)
