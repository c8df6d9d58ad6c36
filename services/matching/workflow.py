"""Matching's use cases: each reads what it needs, asks the domain, and stores the outcome with its events.

Runs solve outside any transaction (the solver may take seconds for a large cohort); approving, ending
and withdrawing take the cohort's lock, so capacity is checked against what is committed.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.matching import store
from services.matching.domain.encoding import encode
from services.matching.domain.model import Instance, MatchSettings, Result, Weights
from services.matching.domain.pool import Member, cohort_instance, full_capacity, person
from services.matching.domain.rules import broken_rules
from services.matching.domain.solver import RULE_WORDS, solve
from shared.events import PairEnded, PairMatched
from shared.messaging import outbox

log = structlog.get_logger(__name__)

WITHDRAWN = "withdrawn"


class NotFound(LookupError):
    """The cohort, run, pair or participant is not known to matching."""


class Conflict(RuntimeError):
    """The request does not fit the current state (HTTP 409)."""


class Unprocessable(ValueError):
    """The request is well-formed but breaks a rule (HTTP 422)."""


def member(row: asyncpg.Record) -> Member:
    return Member(row["participant_id"], row["company_id"], row["role"], row["profile"], row["withdrawn"])


async def known_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> asyncpg.Record:
    row = await store.cohort(conn, cohort_id)
    if row is None:
        raise NotFound(f"no cohort {cohort_id}")
    return row


def settings_view(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "cohort_id": str(row["cohort_id"]),
        "weights": Weights.from_mapping(row["weights"]).as_dict(),
        "fairness": row["fairness"],
        "industry_preference": row["industry_preference"],
    }


async def save_settings(
    pool: asyncpg.Pool, cohort_id: UUID, weights: Mapping[str, float], fairness: bool, industry: str
) -> dict[str, Any]:
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        return settings_view(await store.save_settings(conn, cohort_id, dict(weights), fairness, industry))


async def start_run(
    pool: asyncpg.Pool, cohort_id: UUID, limits: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Solve the cohort's remaining pool and store the proposals for staff to review.

    `limits` are solve()'s exact_pair_limit and candidates_per_mentee, from the service's settings.
    """
    async with pool.acquire() as conn:
        cohort = await known_cohort(conn, cohort_id)
        members = [member(r) for r in await store.participants(conn, cohort_id)]
        active = [
            (p["mentee_id"], p["mentor_id"]) for p in await store.pairs(conn, cohort_id, active_only=True)
        ]
        pins = [(p["mentee_id"], p["mentor_id"]) for p in await store.pins(conn, cohort_id)]
        excluded = [(e["mentee_id"], e["mentor_id"]) for e in await store.exclusions(conn, cohort_id)]
        never = [(p["mentee_id"], p["mentor_id"]) for p in await store.never_again(conn, cohort_id)]
    settings = MatchSettings(cohort["fairness"], cohort["industry_preference"])
    instance, dropped = cohort_instance(members, active, pins, excluded, never, cohort["weights"], settings)
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
    return await run_view(pool, run_id)


def _objective(result: Result) -> dict[str, Any]:
    return {"matched": result.matched, "total_score": result.total_score, "lowest_score": result.lowest_score}


async def run_view(pool: asyncpg.Pool, run_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        run = await store.run(conn, run_id)
        if run is None:
            raise NotFound(f"no run {run_id}")
        proposals = await store.proposals(conn, run_id)
        unmatched_ids = [UUID(u["mentee_id"]) for u in run["unmatched"]]
        names = await store.names(conn, unmatched_ids)
    return {
        "run_id": str(run["run_id"]),
        "cohort_id": str(run["cohort_id"]),
        "status": run["status"],
        "created_at": run["created_at"].isoformat(),
        "approved_at": run["approved_at"].isoformat() if run["approved_at"] else None,
        "settings": run["settings"],
        "objective": run["objective"],
        "solver": run["solver"],
        "proposals": [
            {
                "mentee_id": str(p["mentee_id"]),
                "mentee_name": p["mentee_name"],
                "mentor_id": str(p["mentor_id"]),
                "mentor_name": p["mentor_name"],
                "score": p["score"],
                "explanation": p["explanation"],
                "pinned": p["pinned"],
            }
            for p in proposals
        ],
        "unmatched": [{**u, "mentee_name": names.get(UUID(u["mentee_id"]), "")} for u in run["unmatched"]],
        "dropped_pins": run["dropped_pins"],
    }


async def approve(pool: asyncpg.Pool, run_id: UUID) -> dict[str, Any]:
    """Publish a run's proposals as pairs, one PairMatched each; approving again publishes nothing."""
    async with pool.acquire() as conn, conn.transaction():
        run = await store.run(conn, run_id)
        if run is None:
            raise NotFound(f"no run {run_id}")
        await store.lock_cohort(conn, run["cohort_id"])
        run = await store.run(conn, run_id, for_update=True)
        assert run is not None
        if run["status"] == "approved":
            return _approval(run_id, [dict(p) for p in await store.pairs_of_run(conn, run_id)], newly=0)
        if run["status"] == "superseded":
            raise Conflict("a newer run of this cohort replaced this one; approve the newest run")
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
        await store.add_pairs(conn, rows)
        await store.mark_approved(conn, run_id)
        await outbox.append(conn, events)
        pairs = [dict(p) for p in await store.pairs_of_run(conn, run_id)]
    log.info("matching run approved", run_id=str(run_id), pairs=len(events))
    return _approval(run_id, pairs, newly=len(events))


async def _still_possible(conn: asyncpg.Connection, cohort_id: UUID, proposals: list[asyncpg.Record]) -> None:
    """Refuse to publish proposals overtaken by events since the run (withdrawals, other approvals)."""
    people = {r["participant_id"]: r for r in await store.participants(conn, cohort_id)}
    active = await store.pairs(conn, cohort_id, active_only=True)
    paired = {p["mentee_id"] for p in active}
    load: dict[UUID, int] = {}
    for p in active:
        load[p["mentor_id"]] = load.get(p["mentor_id"], 0) + 1
    stale = []
    for p in proposals:
        mentee, mentor = people.get(p["mentee_id"]), people.get(p["mentor_id"])
        if mentee is None or mentee["withdrawn"] or mentor is None or mentor["withdrawn"]:
            stale.append(f"{p['mentee_id']}-{p['mentor_id']}: a participant withdrew")
        elif p["mentee_id"] in paired:
            stale.append(f"{p['mentee_id']}-{p['mentor_id']}: the mentee is already in an active pair")
        else:
            load[p["mentor_id"]] = load.get(p["mentor_id"], 0) + 1
            if load[p["mentor_id"]] > full_capacity(member(mentor)):
                stale.append(f"{p['mentee_id']}-{p['mentor_id']}: the mentor has no free capacity left")
    if stale:
        raise Conflict("the run is out of date, start a new run: " + "; ".join(stale))


def _approval(run_id: UUID, pairs: list[dict[str, Any]], newly: int) -> dict[str, Any]:
    return {
        "run_id": str(run_id),
        "status": "approved",
        "newly_matched": newly,
        "pairs": [pair_view(p) for p in pairs],
    }


def pair_view(p: Mapping[str, Any]) -> dict[str, Any]:
    view = {
        "pair_id": str(p["pair_id"]),
        "cohort_id": str(p["cohort_id"]),
        "mentee_id": str(p["mentee_id"]),
        "mentor_id": str(p["mentor_id"]),
        "score": p["score"],
        "explanation": p["explanation"],
        "matched_at": p["matched_at"].isoformat(),
        "ended_on": p["ended_on"].isoformat() if p["ended_on"] else None,
        "end_reason": p["end_reason"],
        "do_not_rematch": p["do_not_rematch"],
    }
    for name in ("mentee_name", "mentor_name"):
        if name in p:
            view[name] = p[name]
    return view


async def end_pair(
    pool: asyncpg.Pool, pair_id: UUID, reason: str, do_not_rematch: bool, ended_on: date
) -> dict[str, Any]:
    """End a pair: the mentor's place is free again and the mentee is back in the pool."""
    async with pool.acquire() as conn, conn.transaction():
        row = await store.pair(conn, pair_id)
        if row is None:
            raise NotFound(f"no pair {pair_id}")
        await store.lock_cohort(conn, row["cohort_id"])
        row = await store.pair(conn, pair_id, for_update=True)
        assert row is not None
        if row["ended_on"] is not None:
            raise Conflict(f"the pair already ended on {row['ended_on'].isoformat()}")
        ended = await _end(conn, row, ended_on, reason, do_not_rematch, cause=None)
    return pair_view(ended)


async def _end(
    conn: asyncpg.Connection,
    row: asyncpg.Record,
    ended_on: date,
    reason: str,
    do_not_rematch: bool,
    cause: Any,
) -> asyncpg.Record:
    ended = await store.end_pair(conn, row["pair_id"], ended_on, reason, do_not_rematch)
    envelope = cause.follow_up() if cause is not None else {}
    await outbox.append(
        conn,
        [
            PairEnded(
                pair_id=row["pair_id"],
                cohort_id=row["cohort_id"],
                mentee_id=row["mentee_id"],
                mentor_id=row["mentor_id"],
                ended_on=ended_on,
                reason=reason,
                do_not_rematch=do_not_rematch,
                producer="matching",
                **envelope,
            )
        ],
    )
    log.info("pair ended", pair_id=str(row["pair_id"]), reason=reason, do_not_rematch=do_not_rematch)
    return ended


async def end_pairs_of_withdrawn(
    conn: asyncpg.Connection, participant_id: UUID, ended_on: date, cause: Any
) -> None:
    """A withdrawn participant's active pairs end with reason "withdrawn" (inside the consumer's transaction)."""
    for row in await store.active_pairs_of(conn, participant_id):
        await store.lock_cohort(conn, row["cohort_id"])
        await _end(conn, row, ended_on, WITHDRAWN, False, cause)


async def add_pin(pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> dict[str, str]:
    """Pin a pair for the next runs, refused if it breaks a hard rule."""
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        mentee, mentor = await _pair_members(conn, cohort_id, mentee_id, mentor_id)
        if any(p["mentee_id"] == mentee_id for p in await store.pairs(conn, cohort_id, active_only=True)):
            raise Conflict("the mentee is already in an active pair")
        excluded = {(e["mentee_id"], e["mentor_id"]) for e in await store.exclusions(conn, cohort_id)}
        never = {(p["mentee_id"], p["mentor_id"]) for p in await store.never_again(conn, cohort_id)}
        instance = Instance(
            (person(mentee),),
            (person(mentor, 1),),
            excluded=frozenset({(str(mentee_id), str(mentor_id))} & {(str(a), str(b)) for a, b in excluded}),
            never_again=frozenset({(str(mentee_id), str(mentor_id))} & {(str(a), str(b)) for a, b in never}),
        )
        broken = broken_rules(encode(instance), 0, 0)
        if broken:
            raise Unprocessable("the pair breaks a hard rule: " + "; ".join(RULE_WORDS[b] for b in broken))
        await store.pin(conn, cohort_id, mentee_id, mentor_id)
    return {"cohort_id": str(cohort_id), "mentee_id": str(mentee_id), "mentor_id": str(mentor_id)}


async def add_exclusion(
    pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID
) -> dict[str, str]:
    """Exclude a pair from every later run of the cohort (a pin on the same pair is removed)."""
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        await _pair_members(conn, cohort_id, mentee_id, mentor_id)
        await store.exclude(conn, cohort_id, mentee_id, mentor_id)
    return {"cohort_id": str(cohort_id), "mentee_id": str(mentee_id), "mentor_id": str(mentor_id)}


async def _pair_members(
    conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID
) -> tuple[Member, Member]:
    found: list[Member] = []
    for participant_id, role in ((mentee_id, "mentee"), (mentor_id, "mentor")):
        row = await store.participant(conn, participant_id)
        if row is None or row["cohort_id"] != cohort_id or row["profile"] is None:
            raise NotFound(f"no {role} {participant_id} in cohort {cohort_id}")
        if row["role"] != role:
            raise Unprocessable(f"{participant_id} is a {row['role']}, not a {role}")
        if row["withdrawn"]:
            raise Unprocessable(f"the {role} {participant_id} has withdrawn")
        found.append(member(row))
    return found[0], found[1]


async def cohort_view(pool: asyncpg.Pool, cohort_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await known_cohort(conn, cohort_id)
        people = [member(r) for r in await store.participants(conn, cohort_id)]
        active = await store.pairs(conn, cohort_id, active_only=True)
        pins = await store.pins(conn, cohort_id)
        exclusions = await store.exclusions(conn, cohort_id)
    present = [m for m in people if not m.withdrawn]
    paired = {p["mentee_id"] for p in active}
    mentors = [m for m in present if m.role == "mentor"]
    load = Counter(p["mentor_id"] for p in active)
    return {
        "cohort_id": str(cohort_id),
        "name": row["name"],
        "settings": settings_view(row),
        "mentees": sum(m.role == "mentee" for m in present),
        "mentees_waiting": sum(m.role == "mentee" and m.participant_id not in paired for m in present),
        "mentors": len(mentors),
        "free_mentor_places": sum(max(full_capacity(m) - load[m.participant_id], 0) for m in mentors),
        "active_pairs": len(active),
        "pins": [{"mentee_id": str(p["mentee_id"]), "mentor_id": str(p["mentor_id"])} for p in pins],
        "exclusions": [
            {"mentee_id": str(e["mentee_id"]), "mentor_id": str(e["mentor_id"])} for e in exclusions
        ],
    }
