"""A pair member's personal token recognised outside sessions, for the member's own data only.

Sessions issues the tokens and publishes MemberTokenIssued with the token's SHA-256 (as intake does for
company keys). Intake, matching and reporting keep those hashes in their own `member_tokens` table (their
migration) and accept a member's token on one thing: that member's own data export. A newer generation
for the same pair seat replaces the older, so a re-issued link stops working here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg
from fastapi import Request

from shared.errors import NotFound, Unauthorized
from shared.events.sessions import MemberTokenIssued
from shared.http.auth import bearer_token, is_staff
from shared.keys import hash_key


async def record_member_token(conn: asyncpg.Connection, event: MemberTokenIssued) -> None:
    """Keep the newest generation per pair seat (events may arrive twice or out of order); never for an
    erased person (`erased_subjects`), so a replay does not bring their links back."""
    await conn.execute(
        """INSERT INTO member_tokens (pair_id, role, participant_id, token_hash, generation)
           SELECT $1, $2, $3, $4, $5
           WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject = $3)
           ON CONFLICT (pair_id, role) DO UPDATE SET participant_id = $3, token_hash = $4, generation = $5
           WHERE member_tokens.generation < $5""",
        event.pair_id,
        event.role,
        event.participant_id,
        event.token_hash,
        event.generation,
    )


async def member_of_token(conn: asyncpg.Connection, token: str) -> UUID | None:
    """The participant a live member token belongs to, or None."""
    found: UUID | None = await conn.fetchval(
        "SELECT participant_id FROM member_tokens WHERE token_hash = $1", hash_key(token)
    )
    return found


async def forget_member_tokens(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """On erasure: the person's links are recognised here no more."""
    await conn.execute(
        "DELETE FROM member_tokens WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )


async def clear_member_tokens(conn: asyncpg.Connection) -> None:
    """A rebuild starts from nothing and replays sessions' events."""
    await conn.execute("DELETE FROM member_tokens")


async def require_staff_or_self(request: Request, participant_id: UUID) -> bool:
    """Staff (True), or the member whose own data this is (False); any other member gets a 404, as if
    the person did not exist; no credential at all is a 401."""
    if is_staff(request):
        return True
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("staff credentials or the member's own personal token required")
    async with request.app.state.runtime.pool.acquire() as conn:
        member = await member_of_token(conn, token)
    if member is None:
        raise Unauthorized("unknown or replaced personal token")
    if member != participant_id:
        raise NotFound("no such participant")
    return False
