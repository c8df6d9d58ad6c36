"""SQL of the dashboard's sessions and one-time sign-in codes (hashes only)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import asyncpg

Kind = Literal["session", "code"]


async def insert(
    conn: asyncpg.Connection,
    value_hash: str,
    kind: Kind,
    credential_hash: str,
    company_id: UUID | None,
    expires_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO dashboard_sign_ins (value_hash, kind, credential_hash, company_id, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        value_hash,
        kind,
        credential_hash,
        company_id,
        expires_at,
    )


async def live_session(conn: asyncpg.Connection, value_hash: str) -> asyncpg.Record | None:
    found: asyncpg.Record | None = await conn.fetchrow(
        "SELECT credential_hash, company_id FROM dashboard_sign_ins"
        " WHERE value_hash = $1 AND kind = 'session' AND expires_at > now()",
        value_hash,
    )
    return found


async def take_code(conn: asyncpg.Connection, value_hash: str) -> asyncpg.Record | None:
    """A live code, used up by this call (a second use finds nothing)."""
    found: asyncpg.Record | None = await conn.fetchrow(
        "DELETE FROM dashboard_sign_ins WHERE value_hash = $1 AND kind = 'code'"
        " RETURNING credential_hash, company_id, expires_at > now() AS live",
        value_hash,
    )
    return found if found is not None and found["live"] else None


async def delete(conn: asyncpg.Connection, value_hash: str) -> bool:
    done: str = await conn.execute("DELETE FROM dashboard_sign_ins WHERE value_hash = $1", value_hash)
    return done != "DELETE 0"


async def delete_expired(conn: asyncpg.Connection) -> None:
    await conn.execute("DELETE FROM dashboard_sign_ins WHERE expires_at <= now()")
