"""Members' personal tokens: only their hashes are stored, one live token per member."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.sessions.domain.model import MemberRole


async def member_of_token(conn: asyncpg.Connection, token_hash: str) -> tuple[UUID, MemberRole] | None:
    row = await conn.fetchrow("SELECT pair_id, role FROM member_tokens WHERE token_hash = $1", token_hash)
    return (row["pair_id"], row["role"]) if row else None


async def issue_token(
    conn: asyncpg.Connection, pair_id: UUID, role: MemberRole, token_hash: str
) -> asyncpg.Record:
    """Store a new token's hash for the member, replacing (so revoking) the one before."""
    return await conn.fetchrow(
        """INSERT INTO member_tokens (pair_id, role, token_hash, generation, announced)
           VALUES ($1, $2, $3, 1, true)
           ON CONFLICT (pair_id, role) DO UPDATE SET token_hash = $3, issued_at = now(),
               generation = member_tokens.generation + 1, announced = true
           RETURNING role, generation, issued_at""",
        pair_id,
        role,
        token_hash,
    )


async def revoke_tokens_of_members(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> int:
    """Erasure: the personal links of these people, in every pair they sit in, stop working."""
    revoked = await conn.fetch(
        """DELETE FROM member_tokens t USING pairs p
           WHERE t.pair_id = p.pair_id
             AND ((t.role = 'mentee' AND p.mentee_id = ANY($1::uuid[]))
               OR (t.role = 'mentor' AND p.mentor_id = ANY($1::uuid[])))
           RETURNING t.pair_id""",
        list(participant_ids),
    )
    return len(revoked)


async def token_status(conn: asyncpg.Connection, pair_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT role, generation, issued_at FROM member_tokens WHERE pair_id = $1 ORDER BY role", pair_id
    )


async def unannounced(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    """Tokens whose hash was never published (issued before MemberTokenIssued), with their member's id;
    locked (SKIP LOCKED: two instances never announce the same one)."""
    return list(
        await conn.fetch(
            """SELECT t.pair_id, t.role, t.token_hash, t.generation,
                      CASE WHEN t.role = 'mentee' THEN p.mentee_id ELSE p.mentor_id END AS participant_id
               FROM member_tokens t JOIN pairs p USING (pair_id)
               WHERE NOT t.announced ORDER BY t.issued_at LIMIT $1 FOR UPDATE OF t SKIP LOCKED""",
            limit,
        )
    )


async def mark_announced(conn: asyncpg.Connection, seats: list[tuple[UUID, str]]) -> None:
    await conn.executemany(
        "UPDATE member_tokens SET announced = true WHERE pair_id = $1 AND role = $2", seats
    )
