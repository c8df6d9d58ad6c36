"""SQL of the members' browser sessions: one per browser, holding the pairs its links opened."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg


async def live_session(conn: asyncpg.Connection, id_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM member_sessions WHERE id_hash = $1 AND expires_at > now()", id_hash
    )


async def insert_session(
    conn: asyncpg.Connection, id_hash: str, csrf_token: str, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO member_sessions (id_hash, csrf_token, expires_at) VALUES ($1, $2, $3)",
        id_hash,
        csrf_token,
        expires_at,
    )


async def extend_session(conn: asyncpg.Connection, id_hash: str, expires_at: datetime) -> None:
    await conn.execute("UPDATE member_sessions SET expires_at = $2 WHERE id_hash = $1", id_hash, expires_at)


async def add_pair(conn: asyncpg.Connection, id_hash: str, pair_id: UUID, role: str, credential: str) -> None:
    """The pair's token replaces any older one this browser held for it (staff re-issued it)."""
    await conn.execute(
        """INSERT INTO member_pairs (id_hash, pair_id, role, credential) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id_hash, pair_id) DO UPDATE SET role = $3, credential = $4, added_at = now()""",
        id_hash,
        pair_id,
        role,
        credential,
    )


async def pairs_of(conn: asyncpg.Connection, id_hash: str) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT pair_id, role, credential FROM member_pairs WHERE id_hash = $1 ORDER BY added_at",
            id_hash,
        )
    )


async def forget_pair(conn: asyncpg.Connection, credential: str) -> None:
    """A token sessions refused (re-issued, so revoked): no browser keeps it."""
    await conn.execute("DELETE FROM member_pairs WHERE credential = $1", credential)


async def delete_session(conn: asyncpg.Connection, id_hash: str) -> None:
    await conn.execute("DELETE FROM member_sessions WHERE id_hash = $1", id_hash)


async def delete_expired(conn: asyncpg.Connection) -> None:
    await conn.execute("DELETE FROM member_sessions WHERE expires_at <= now()")
