"""SQL of the web app's own tables: sign-in sessions and failed sign-in attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg


async def insert_session(
    conn: asyncpg.Connection,
    id_hash: str,
    role: str,
    credential: str,
    csrf_token: str,
    expires_at: datetime,
    company_id: UUID | None,
    company_name: str | None,
) -> None:
    await conn.execute(
        """INSERT INTO web_sessions (id_hash, role, credential, csrf_token, expires_at, company_id, company_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        id_hash,
        role,
        credential,
        csrf_token,
        expires_at,
        company_id,
        company_name,
    )


async def live_session(conn: asyncpg.Connection, id_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM web_sessions WHERE id_hash = $1 AND expires_at > now()", id_hash
    )


async def delete_session(conn: asyncpg.Connection, id_hash: str) -> None:
    await conn.execute("DELETE FROM web_sessions WHERE id_hash = $1", id_hash)


async def delete_sessions_with(conn: asyncpg.Connection, credential: str) -> None:
    """Every session that signed in with this credential (it was refused: revoked or changed)."""
    await conn.execute("DELETE FROM web_sessions WHERE credential = $1", credential)


async def delete_expired(conn: asyncpg.Connection) -> None:
    await conn.execute("DELETE FROM web_sessions WHERE expires_at <= now()")


async def failures_since(conn: asyncpg.Connection, client: str, since: datetime) -> list[datetime]:
    rows = await conn.fetch(
        "SELECT failed_at FROM sign_in_failures WHERE client = $1 AND failed_at > $2", client, since
    )
    return [r["failed_at"] for r in rows]


async def record_failure(conn: asyncpg.Connection, client: str, at: datetime) -> None:
    await conn.execute("INSERT INTO sign_in_failures (client, failed_at) VALUES ($1, $2)", client, at)


async def forget_failures(conn: asyncpg.Connection, client: str) -> None:
    await conn.execute("DELETE FROM sign_in_failures WHERE client = $1", client)


async def forget_old_failures(conn: asyncpg.Connection, before: datetime) -> None:
    await conn.execute("DELETE FROM sign_in_failures WHERE failed_at <= $1", before)


async def set_flash(conn: asyncpg.Connection, id_hash: str, flash: dict[str, Any]) -> None:
    await conn.execute("UPDATE web_sessions SET flash = $2 WHERE id_hash = $1", id_hash, flash)


async def take_flash(conn: asyncpg.Connection, id_hash: str) -> dict[str, Any] | None:
    """The session's flash, cleared in the same statement (the pool reads jsonb as Python values)."""
    found = await conn.fetchval(
        """WITH old AS (SELECT flash FROM web_sessions WHERE id_hash = $1 FOR UPDATE)
           UPDATE web_sessions w SET flash = NULL FROM old WHERE w.id_hash = $1 RETURNING old.flash""",
        id_hash,
    )
    return found if isinstance(found, dict) else None
