"""Staff only: retention. A cohort closed more than MENTORNET_RETENTION_DAYS ago is anonymised in one step."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from services.intake.entrypoints.http.auth import STAFF
from services.intake.entrypoints.http.deps import Pool, Settings, Vault
from services.intake.service_layer import retention
from shared.http.errors import responses

router = APIRouter(prefix="/v1/cohorts", tags=["staff: retention"], dependencies=STAFF)


class RetentionOut(BaseModel):
    cohort_id: UUID
    closed_on: date | None
    retention_days: int
    eligible_on: date | None
    may_anonymise: bool
    anonymised_on: date | None
    participants_not_erased: int


class AnonymisedOut(RetentionOut):
    erased: int
    already_erased: int
    keys: str


@router.get(
    "/{cohort_id}/retention",
    response_model=RetentionOut,
    summary="When the cohort may be anonymised, and whether it was",
    responses=responses(401, 404),
)
async def retention_of(cohort_id: UUID, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await retention.retention_of(pool, cohort_id, settings.retention_days, settings.programme_timezone)


@router.post(
    "/{cohort_id}/anonymisation",
    response_model=AnonymisedOut,
    summary="Anonymise a cohort closed more than the retention period ago",
    description=(
        "Erases every participant of the cohort in one request (as POST /v1/erasures: scrubbed here, "
        "ParticipantErased, keys destroyed), keeping the cohort, its pairs, sessions and figures. 409 "
        "`cohort_not_closed` while it runs, `retention_not_reached` until `eligible_on`. Asking again "
        "erases anyone left and answers the same."
    ),
    responses=responses(401, 404, 409),
)
async def anonymise_cohort(cohort_id: UUID, pool: Pool, vault: Vault, settings: Settings) -> dict[str, Any]:
    return await retention.anonymise_cohort(
        pool, vault, cohort_id, settings.retention_days, settings.programme_timezone
    )
