"""Staff's choices about single pairs for the cohort's later runs: pins (kept if the rules allow) and
exclusions (never proposed)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.matching.domain import errors
from services.matching.domain.encoding import encode
from services.matching.domain.model import Instance
from services.matching.domain.pool import Member, person
from services.matching.domain.rules import broken_rules
from services.matching.domain.solver import RULE_WORDS
from services.matching.service_layer.cohorts import known_cohort, member
from services.matching.service_layer.views import choice_view
from services.matching.store import cohorts, pairs
from services.matching.store import pins as store


async def add_pin(pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> dict[str, str]:
    """Pin a pair for the next runs, refused if it breaks a hard rule."""
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        mentee, mentor = await _pair_members(conn, cohort_id, mentee_id, mentor_id)
        if any(p["mentee_id"] == mentee_id for p in await pairs.pairs(conn, cohort_id, active_only=True)):
            raise errors.mentee_already_paired()
        excluded = {(e["mentee_id"], e["mentor_id"]) for e in await store.exclusions(conn, cohort_id)}
        never = {(p["mentee_id"], p["mentor_id"]) for p in await pairs.never_again(conn, cohort_id)}
        instance = Instance(
            (person(mentee),),
            (person(mentor, 1),),
            excluded=frozenset({(str(mentee_id), str(mentor_id))} & {(str(a), str(b)) for a, b in excluded}),
            never_again=frozenset({(str(mentee_id), str(mentor_id))} & {(str(a), str(b)) for a, b in never}),
        )
        broken = broken_rules(encode(instance), 0, 0)
        if broken:
            raise errors.breaks_hard_rule([RULE_WORDS[b] for b in broken])
        await store.pin(conn, cohort_id, mentee_id, mentor_id)
    return choice_view(cohort_id, mentee_id, mentor_id)


async def remove_pin(pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID) -> None:
    async with pool.acquire() as conn:
        if not await store.unpin(conn, cohort_id, mentee_id):
            raise errors.pin_not_found(cohort_id, mentee_id)


async def add_exclusion(
    pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID
) -> dict[str, str]:
    """Exclude a pair from every later run of the cohort (a pin on the same pair is removed)."""
    async with pool.acquire() as conn, conn.transaction():
        await known_cohort(conn, cohort_id)
        await _pair_members(conn, cohort_id, mentee_id, mentor_id)
        await store.exclude(conn, cohort_id, mentee_id, mentor_id)
    return choice_view(cohort_id, mentee_id, mentor_id)


async def lift_exclusion(pool: asyncpg.Pool, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    async with pool.acquire() as conn:
        if not await store.unexclude(conn, cohort_id, mentee_id, mentor_id):
            raise errors.exclusion_not_found(cohort_id, mentee_id, mentor_id)


async def _pair_members(
    conn: asyncpg.Connection, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID
) -> tuple[Member, Member]:
    found: list[Member] = []
    for participant_id, role in ((mentee_id, "mentee"), (mentor_id, "mentor")):
        row = await cohorts.participant(conn, participant_id)
        if row is None or row["cohort_id"] != cohort_id or row["profile"] is None:
            raise errors.member_not_found(role, participant_id, cohort_id)
        if row["role"] != role:
            raise errors.wrong_role(participant_id, row["role"], role)
        if row["withdrawn"]:
            raise errors.withdrawn(role, participant_id)
        found.append(member(row))
    return found[0], found[1]
