"""Members' personal tokens: issued by staff at hand-over, shown once, stored only hashed; the hash is
published (MemberTokenIssued) so the other services can answer the member about their own data."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
import structlog

from services.sessions import store
from services.sessions.domain.model import MEMBER_ROLES, MemberRole, Principal
from services.sessions.domain.rules import require_staff_role
from services.sessions.service_layer.access import pair_to_write
from services.sessions.service_layer.policy import Policy
from shared.events import MemberTokenIssued
from shared.keys import hash_key, new_key
from shared.messaging import outbox
from shared.privacy.sealing import erased_here

log = structlog.get_logger(__name__)

TOKEN_PREFIX = "mnp"


async def issue_tokens(
    pool: asyncpg.Pool,
    policy: Policy,
    principal: Principal | None,
    pair_id: UUID,
    roles: tuple[MemberRole, ...],
) -> list[tuple[MemberRole, str, int, datetime]]:
    """New personal tokens for the members, shown this once; each replaces (revokes) the one before.
    An erased member gets none (nobody is left to hand it to)."""
    async with pool.acquire() as conn:
        _, role = await pair_to_write(conn, policy, principal, pair_id)
        require_staff_role(role)
        issued = []
        async with conn.transaction():
            members = await store.pairs.pair_members(conn, pair_id)
            gone = await erased_here(conn, list(members.values()))
            events = []
            for member in [r for r in MEMBER_ROLES if r in roles and members.get(r) not in gone]:
                token = new_key(TOKEN_PREFIX)
                row = await store.tokens.issue_token(conn, pair_id, member, hash_key(token))
                issued.append((member, token, row["generation"], row["issued_at"]))
                events.append(
                    MemberTokenIssued(
                        pair_id=pair_id,
                        role=member,
                        participant_id=members[member],
                        token_hash=hash_key(token),
                        generation=row["generation"],
                        producer="sessions",
                    )
                )
            await outbox.append(conn, events)
    policy.metrics.tokens_issued.inc(len(issued))
    log.info("member tokens issued", pair_id=str(pair_id), roles=[r for r, *_ in issued])
    return issued


async def announce_earlier_tokens(conn: asyncpg.Connection) -> int:
    """Publish MemberTokenIssued for tokens issued before the event existed (a periodic job): their
    members can then ask the other services for their own data too. Returns how many it announced."""
    async with conn.transaction():
        rows = await store.tokens.unannounced(conn, 500)
        events = [
            MemberTokenIssued(
                pair_id=r["pair_id"],
                role=r["role"],
                participant_id=r["participant_id"],
                token_hash=r["token_hash"],
                generation=r["generation"],
                producer="sessions",
            )
            for r in rows
        ]
        await outbox.append(conn, events)
        await store.tokens.mark_announced(conn, [(r["pair_id"], r["role"]) for r in rows])
    if events:
        log.info("earlier member tokens announced", count=len(events))
    return len(events)
