"""What sessions knows of pairs: one pair as its caller may see it, and staff's lists and records."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from services.sessions import store
from services.sessions.domain.errors import NotFound
from services.sessions.domain.model import Pair, Principal
from services.sessions.domain.rules import check_pair_access
from shared.events.sessions import LoggedBy


async def pair_view(pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID) -> tuple[Pair, LoggedBy]:
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        pair = await store.pairs.pair(conn, pair_id)
    if pair is None:
        raise NotFound
    return pair, role


async def pair_card(pool: asyncpg.Pool, pair_id: UUID) -> list[dict[str, object]]:
    """Both members as the pair's members see each other (call after `pair_view` allowed the caller)."""
    async with pool.acquire() as conn:
        return await store.pairs.pair_card(conn, pair_id)


@dataclass(frozen=True)
class PairRecord:
    """What staff see of a pair beyond its dates: its members and the state of their tokens."""

    members: dict[str, UUID]
    tokens: list[dict[str, object]]


async def pair_record(pool: asyncpg.Pool, pair_id: UUID) -> PairRecord:
    async with pool.acquire() as conn:
        members = await store.pairs.pair_members(conn, pair_id)
        tokens = await store.tokens.token_status(conn, pair_id)
    return PairRecord(members, [dict(t) for t in tokens])


async def list_pairs(pool: asyncpg.Pool, cohort_id: UUID | None) -> list[dict[str, object]]:
    async with pool.acquire() as conn:
        return await store.pairs.pairs(conn, cohort_id)
