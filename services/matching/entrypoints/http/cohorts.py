"""A cohort's pool and its matching settings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.matching.entrypoints.http.deps import STAFF, Pool, refusals
from services.matching.entrypoints.http.schemas import CohortOut, SettingsIn, SettingsOut
from services.matching.service_layer import cohorts

router = APIRouter(prefix="/v1/cohorts", dependencies=STAFF, tags=["cohorts"])


@router.get(
    "/{cohort_id}",
    response_model=CohortOut,
    summary="A cohort's pool, settings, pins and exclusions",
    responses=refusals(404, 422),
)
async def get_cohort(cohort_id: UUID, pool: Pool) -> dict[str, Any]:
    return await cohorts.get_cohort(pool, cohort_id)


@router.put(
    "/{cohort_id}/settings",
    response_model=SettingsOut,
    summary="Set the cohort's weights, fairness mode, industry preference",
    responses=refusals(404, 422),
)
async def put_settings(cohort_id: UUID, body: SettingsIn, pool: Pool) -> dict[str, Any]:
    return await cohorts.save_settings(
        pool, cohort_id, {str(k): v for k, v in body.weights.items()}, body.fairness, body.industry_preference
    )


@router.get(
    "/{cohort_id}/settings",
    response_model=SettingsOut,
    summary="The cohort's matching settings",
    responses=refusals(404, 422),
)
async def get_settings(cohort_id: UUID, pool: Pool) -> dict[str, Any]:
    return await cohorts.get_settings(pool, cohort_id)
