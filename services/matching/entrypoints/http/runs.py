"""Runs: match a cohort's remaining pool, review the proposals, approve them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from services.matching.entrypoints.http.deps import STAFF, Pool, Settings, refusals
from services.matching.entrypoints.http.schemas import ApprovalOut, RunOut, RunSummary
from services.matching.service_layer import runs

router = APIRouter(prefix="/v1", dependencies=STAFF, tags=["runs"])


@router.post(
    "/cohorts/{cohort_id}/runs",
    status_code=status.HTTP_201_CREATED,
    response_model=RunOut,
    summary="Match the cohort's remaining pool; stores proposals with explanations",
    responses=refusals(404, 422),
)
async def start_run(cohort_id: UUID, pool: Pool, settings: Settings) -> dict[str, Any]:
    limits = {
        "exact_pair_limit": settings.exact_pair_limit,
        "candidates_per_mentee": settings.candidates_per_mentee,
    }
    return await runs.start_run(pool, cohort_id, limits)


@router.get(
    "/cohorts/{cohort_id}/runs",
    response_model=list[RunSummary],
    summary="The cohort's runs, newest first",
    responses=refusals(404, 422),
)
async def list_runs(cohort_id: UUID, pool: Pool) -> list[dict[str, Any]]:
    return await runs.list_runs(pool, cohort_id)


@router.get(
    "/runs/{run_id}",
    response_model=RunOut,
    summary="A run's proposals, explanations and unmatched mentees",
    responses=refusals(404, 422),
)
async def get_run(run_id: UUID, pool: Pool) -> dict[str, Any]:
    return await runs.get_run(pool, run_id)


@router.post(
    "/runs/{run_id}/approve",
    response_model=ApprovalOut,
    response_model_exclude_unset=True,
    summary="Publish the run's pairs (one PairMatched each; repeat-safe)",
    description="409 when a newer run replaced this one, or when a proposal was overtaken since the run.",
    responses=refusals(404, 409, 422),
)
async def approve(run_id: UUID, pool: Pool) -> dict[str, Any]:
    return await runs.approve(pool, run_id)
