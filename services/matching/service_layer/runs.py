"""Runs: solve a cohort's remaining pool into proposals, and approve them as pairs (one PairMatched each).

A run solves outside any transaction (the solver may take seconds for a large cohort); approving takes
the cohort's lock, so capacity is checked against what is committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.matching.domain import errors
from services.matching.domain.model import MatchSettings, Result
from services.matching.domain.pool import cohort_instance, stale_proposals
from services.matching.domain.solver import solve
from services.matching.service_layer.cohorts import known_cohort, locked, member
from services.matching.service_layer.views import approval_view, run_summary, run_view
from services.matching.store import cohorts, pairs, pins
from services.matching.store import runs as store
from shared.events import PairMatched
from shared.messaging import outbox

log = structlog.get_logger(__name__)


async def start_run(
    pool: asyncpg.Pool, cohort_id: UUID, limits: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Solve the cohort's remaining pool and store the proposals for staff to review.

    `limits` are solve()'s exact_pair_limit and candidates_per_mentee, from the service's settings.
    """
    async with pool.acquire() as conn:
        cohort = await known_cohort(conn, cohort_id)
        members = [member(r) for r in await cohorts.participants(conn, cohort_id)]
        active = [
            (p["mentee_id"], p["mentor_id"]) for p in await pairs.pairs(conn, cohort_id, active_only=True)
        ]
        pinned = [(p["mentee_id"], p["mentor_id"]) for p in await pins.pins(conn, cohort_id)]
        excluded = [(e["mentee_id"], e["mentor_id"]) for e in await pins.exclusions(conn, cohort_id)]
        never = [(p["mentee_id"], p["mentor_id"]) for p in await pairs.never_again(conn, cohort_id)]
    settings = MatchSettings(cohort["fairness"], cohort["industry_preference"])
    instance, dropped = cohort_instance(members, active, pinned, excluded, never, cohort["weights"], settings)
    result = await asyncio.to_thread(lambda: solve(instance, **(limits or {})))
    run_id = uuid4()
    objective = _objective(result)
    run: dict[str, Any] = {
        "run_id": run_id,
        "cohort_id": cohort_id,
        "settings": {
            "weights": instance.weights.as_dict(),
            "fairness": settings.fairness,
            "industry_preference": settings.industry_preference,
        },
        "objective": objective,
        "solver": {
            "method": result.report.method,
            "proven_optimal": result.report.proven_optimal,
            "note": result.report.note,
        },
        "unmatched": [{"mentee_id": u.mentee, "reason": u.reason, "code": u.code} for u in result.unmatched],
        "dropped_pins": [
            {"mentee_id": d.mentee_id, "mentor_id": d.mentor_id, "reason": d.reason} for d in dropped
        ],
    }
    proposals = [
        (run_id, UUID(p.mentee), UUID(p.mentor), p.score, p.explanation, p.pinned) for p in result.pairs
    ]
    async with pool.acquire() as conn, conn.transaction():
        await store.add_run(conn, run, proposals)
    log.info("matching run proposed", cohort_id=str(cohort_id), run_id=str(run_id), **objective)
    return await get_run(pool, run_id)


def _objective(result: Result) -> dict[str, Any]:
    return {"matched": result.matched, "total_score": result.total_score, "lowest_score": result.lowest_score}


async def list_runs(pool: asyncpg.Pool, cohort_id: UUID) -> list[dict[str, Any]]:
    """The cohort's runs, newest first."""
    async with pool.acquire() as conn:
        await known_cohort(conn, cohort_id)
        rows = await store.runs(conn, cohort_id)
    return [run_summary(r) for r in rows]


async def get_run(pool: asyncpg.Pool, run_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        run = await store.run(conn, run_id)
        if run is None:
            raise errors.run_not_found(run_id)
        proposals = await store.proposals(conn, run_id)
        unmatched_ids = [UUID(u["mentee_id"]) for u in run["unmatched"]]
        names = await cohorts.names(conn, unmatched_ids)
    return run_view(run, proposals, names)


async def approve(pool: asyncpg.Pool, run_id: UUID) -> dict[str, Any]:
    """Publish a run's proposals as pairs, one PairMatched each; approving again publishes nothing."""
    async with pool.acquire() as conn, conn.transaction():
        run = await locked(conn, store.run, run_id, errors.run_not_found(run_id))
        if run["status"] == "approved":
            return approval_view(run_id, [dict(p) for p in await pairs.pairs_of_run(conn, run_id)], newly=0)
        if run["status"] == "superseded":
            raise errors.run_superseded()
        proposals = await store.proposals(conn, run_id)
        await _still_possible(conn, run["cohort_id"], proposals)
        rows, events = [], []
        for p in proposals:
            pair_id = uuid4()
            rows.append(
                (
                    pair_id,
                    run["cohort_id"],
                    run_id,
                    p["mentee_id"],
                    p["mentor_id"],
                    p["mentee_company_id"],
                    p["mentor_company_id"],
                    p["score"],
                    p["explanation"],
                )
            )
            events.append(
                PairMatched(
                    pair_id=pair_id,
                    cohort_id=run["cohort_id"],
                    mentee_id=p["mentee_id"],
                    mentor_id=p["mentor_id"],
                    mentee_company_id=p["mentee_company_id"],
                    mentor_company_id=p["mentor_company_id"],
                    score=p["score"],
                    explanation=p["explanation"],
                    producer="matching",
                )
            )
        await pairs.add_pairs(conn, rows)
        await store.mark_approved(conn, run_id)
        await outbox.append(conn, events)
        approved = [dict(p) for p in await pairs.pairs_of_run(conn, run_id)]
    log.info("matching run approved", run_id=str(run_id), pairs=len(events))
    return approval_view(run_id, approved, newly=len(events))


async def _still_possible(conn: asyncpg.Connection, cohort_id: UUID, proposals: list[asyncpg.Record]) -> None:
    """Refuse to publish proposals overtaken by events since the run (withdrawals, other approvals)."""
    people = {r["participant_id"]: member(r) for r in await cohorts.participants(conn, cohort_id)}
    active = [(p["mentee_id"], p["mentor_id"]) for p in await pairs.pairs(conn, cohort_id, active_only=True)]
    stale = stale_proposals(people, active, [(p["mentee_id"], p["mentor_id"]) for p in proposals])
    if stale:
        raise errors.run_out_of_date(stale)
