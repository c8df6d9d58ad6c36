"""Matching's HTTP API for programme staff: settings, runs, pins, exclusions, approval, ending pairs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.matching import store, workflow
from services.matching.domain.model import CRITERIA, MAX_WEIGHT
from services.matching.workflow import Conflict, NotFound, Unprocessable
from shared.http.auth import require_staff

Criterion = Literal["themes", "level", "industry", "function", "experience", "meeting"]
assert set(Criterion.__args__) == set(CRITERIA)  # type: ignore[attr-defined]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]


class SettingsIn(BaseModel):
    """A cohort's matching settings; weights not given keep their documented defaults."""

    model_config = ConfigDict(extra="forbid")
    weights: dict[Criterion, Weight] = {}
    fairness: bool = False
    industry_preference: Literal["same", "different", "any"] = "different"


class PairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mentee_id: UUID
    mentor_id: UUID


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)
    do_not_rematch: bool = False
    ended_on: date | None = None


router = APIRouter(prefix="/v1", dependencies=[Depends(require_staff)], tags=["matching"])


def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.runtime.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]


@router.get("/cohorts/{cohort_id}", summary="A cohort's pool, settings, pins and exclusions")
async def get_cohort(cohort_id: UUID, pool: Pool) -> dict[str, Any]:
    return await workflow.cohort_view(pool, cohort_id)


@router.put(
    "/cohorts/{cohort_id}/settings", summary="Set the cohort's weights, fairness mode, industry preference"
)
async def put_settings(cohort_id: UUID, body: SettingsIn, pool: Pool) -> dict[str, Any]:
    return await workflow.save_settings(
        pool, cohort_id, {str(k): v for k, v in body.weights.items()}, body.fairness, body.industry_preference
    )


@router.get("/cohorts/{cohort_id}/settings", summary="The cohort's matching settings")
async def get_settings(cohort_id: UUID, pool: Pool) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return workflow.settings_view(await workflow.known_cohort(conn, cohort_id))


@router.post(
    "/cohorts/{cohort_id}/runs",
    status_code=status.HTTP_201_CREATED,
    summary="Match the cohort's remaining pool; stores proposals with explanations",
)
async def start_run(cohort_id: UUID, pool: Pool, request: Request) -> dict[str, Any]:
    settings = request.app.state.runtime.settings
    limits = {
        "exact_pair_limit": settings.exact_pair_limit,
        "candidates_per_mentee": settings.candidates_per_mentee,
    }
    return await workflow.start_run(pool, cohort_id, limits)


@router.get("/cohorts/{cohort_id}/runs", summary="The cohort's runs, newest first")
async def list_runs(cohort_id: UUID, pool: Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        await workflow.known_cohort(conn, cohort_id)
        rows = await store.runs(conn, cohort_id)
    return [
        {
            "run_id": str(r["run_id"]),
            "status": r["status"],
            "created_at": r["created_at"].isoformat(),
            "approved_at": r["approved_at"].isoformat() if r["approved_at"] else None,
            "objective": r["objective"],
        }
        for r in rows
    ]


@router.get("/runs/{run_id}", summary="A run's proposals, explanations and unmatched mentees")
async def get_run(run_id: UUID, pool: Pool) -> dict[str, Any]:
    return await workflow.run_view(pool, run_id)


@router.post("/runs/{run_id}/approve", summary="Publish the run's pairs (one PairMatched each; repeat-safe)")
async def approve(run_id: UUID, pool: Pool) -> dict[str, Any]:
    return await workflow.approve(pool, run_id)


@router.post(
    "/cohorts/{cohort_id}/pins", status_code=status.HTTP_201_CREATED, summary="Pin a pair for later runs"
)
async def pin(cohort_id: UUID, body: PairIn, pool: Pool) -> dict[str, str]:
    return await workflow.add_pin(pool, cohort_id, body.mentee_id, body.mentor_id)


@router.delete(
    "/cohorts/{cohort_id}/pins/{mentee_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a pin"
)
async def unpin(cohort_id: UUID, mentee_id: UUID, pool: Pool) -> Response:
    async with pool.acquire() as conn:
        if not await store.unpin(conn, cohort_id, mentee_id):
            raise NotFound(f"no pin for mentee {mentee_id} in cohort {cohort_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/cohorts/{cohort_id}/exclusions", status_code=status.HTTP_201_CREATED, summary="Never propose this pair"
)
async def exclude(cohort_id: UUID, body: PairIn, pool: Pool) -> dict[str, str]:
    return await workflow.add_exclusion(pool, cohort_id, body.mentee_id, body.mentor_id)


@router.delete(
    "/cohorts/{cohort_id}/exclusions/{mentee_id}/{mentor_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Lift an exclusion",
)
async def unexclude(cohort_id: UUID, mentee_id: UUID, mentor_id: UUID, pool: Pool) -> Response:
    async with pool.acquire() as conn:
        if not await store.unexclude(conn, cohort_id, mentee_id, mentor_id):
            raise NotFound(f"no exclusion of {mentee_id} with {mentor_id} in cohort {cohort_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/cohorts/{cohort_id}/pairs", summary="The cohort's pairs (active_only=true for current ones)")
async def list_pairs(cohort_id: UUID, pool: Pool, active_only: bool = False) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        await workflow.known_cohort(conn, cohort_id)
        rows = await store.pairs(conn, cohort_id, active_only=active_only)
    return [workflow.pair_view(r) for r in rows]


@router.post("/pairs/{pair_id}/end", summary="End a pair (PairEnded); the mentee returns to the pool")
async def end_pair(pair_id: UUID, body: EndIn, pool: Pool) -> dict[str, Any]:
    ended_on = body.ended_on or datetime.now(UTC).date()
    return await workflow.end_pair(pool, pair_id, body.reason, body.do_not_rematch, ended_on)


def install_error_handlers(app: FastAPI) -> None:
    """The use cases' errors as HTTP answers: 404, 409 and 422 with a plain detail."""
    for error, code in ((NotFound, 404), (Conflict, 409), (Unprocessable, 422)):

        async def handle(_: Request, exc: Exception, code: int = code) -> JSONResponse:
            return JSONResponse({"detail": str(exc)}, status_code=code)

        app.add_exception_handler(error, handle)
