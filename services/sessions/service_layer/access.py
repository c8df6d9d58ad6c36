"""Who is asking, and which pair they may reach: staff every pair, a member only their own."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import structlog

from services.sessions import store
from services.sessions.domain.errors import Conflict, NotFound
from services.sessions.domain.model import Pair, Principal
from services.sessions.domain.rules import check_pair_access, unknown_pair_verdict
from services.sessions.service_layer.policy import Policy
from shared.events.sessions import LoggedBy
from shared.keys import hash_key

log = structlog.get_logger(__name__)


async def principal_of(pool: asyncpg.Pool, token: str | None, is_staff: bool) -> Principal | None:
    """Staff, one member of one pair, or nobody we know."""
    if is_staff:
        return Principal("staff")
    if not token:
        return None
    async with pool.acquire() as conn:
        member = await store.tokens.member_of_token(conn, hash_key(token))
    return Principal(member[1], member[0]) if member else None


async def pair_to_write(
    conn: asyncpg.Connection, policy: Policy, principal: Principal | None, pair_id: UUID
) -> tuple[Pair, LoggedBy]:
    """A pair the caller may write to; a staff request for a pair not arrived yet is told to retry."""
    role = check_pair_access(principal, pair_id)
    pair = await store.pairs.pair(conn, pair_id)
    if pair is not None and pair.matched:
        await ensure_cohort_running(conn, pair.cohort_id)
        return pair, role
    if role != "staff":
        raise NotFound
    first_seen = await store.pairs.sight_unknown_pair(conn, pair_id)
    if unknown_pair_verdict(first_seen, policy.now(), policy.unknown_pair_grace) == "unknown":
        raise NotFound
    log.info("pair not known yet: asked to retry", pair_id=str(pair_id))
    raise Conflict(
        "pair_not_known_yet",
        "sessions has not yet learnt of this pair from matching; retry shortly",
        retry_after_s=policy.retry_after_s,
    )


async def ensure_cohort_running(conn: asyncpg.Connection, cohort_id: UUID) -> None:
    """A closed cohort's year is over: nothing new is written for its pairs (reading stays)."""
    if (await store.cohorts.cohort(conn, cohort_id)).closed_on is not None:
        raise Conflict("cohort_closed", "the cohort is closed: its pairs record nothing new")
