"""Pairs: the cohort's current and past pairs, and ending one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.matching.entrypoints.http.deps import STAFF, Pool, refusals
from services.matching.entrypoints.http.schemas import EndIn, PairOut
from services.matching.service_layer import pairs
from shared.http.deps import Vault

router = APIRouter(prefix="/v1", dependencies=STAFF, tags=["pairs"])


@router.get(
    "/cohorts/{cohort_id}/pairs",
    response_model=list[PairOut],
    response_model_exclude_unset=True,
    summary="The cohort's pairs (active_only=true for current ones)",
    responses=refusals(404, 422),
)
async def list_pairs(cohort_id: UUID, pool: Pool, active_only: bool = False) -> list[dict[str, Any]]:
    return await pairs.list_pairs(pool, cohort_id, active_only)


@router.post(
    "/pairs/{pair_id}/end",
    response_model=PairOut,
    response_model_exclude_unset=True,
    summary="End a pair (PairEnded); the mentee returns to the pool",
    description="ended_on defaults to today (UTC); it may not be before the day the pair was matched or after "
    "tomorrow (422 `before_pair_matched` / `in_future`). 409 when the pair has already ended.",
    responses=refusals(404, 409, 422),
)
async def end_pair(pair_id: UUID, body: EndIn, pool: Pool, vault: Vault) -> dict[str, Any]:
    ended_on = body.ended_on or datetime.now(UTC).date()
    return await pairs.end_pair(pool, vault, pair_id, body.reason, body.do_not_rematch, ended_on)
