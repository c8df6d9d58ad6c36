"""SQL for partner companies and the hashes of their keys (revocation is final)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.reporting.domain.model import Company
from services.reporting.store.upsert import upsert


class CompanyRow(NamedTuple):
    company_id: UUID
    name: str
    hr_contact_name: str
    hr_contact_email: str
    registered_at: datetime
    registered_event: UUID


class KeyRow(NamedTuple):
    key_id: UUID
    company_id: UUID
    key_hash: str


class RevocationRow(NamedTuple):
    key_id: UUID
    company_id: UUID


REGISTER = upsert("companies", CompanyRow, ("registered_at", "registered_event"), "latest")


async def register_companies(conn: asyncpg.Connection, rows: Sequence[CompanyRow]) -> None:
    await conn.executemany(REGISTER, rows)


async def issue_keys(conn: asyncpg.Connection, rows: Sequence[KeyRow]) -> None:
    await conn.executemany(
        """INSERT INTO company_keys (key_id, company_id, key_hash) VALUES ($1, $2, $3)
           ON CONFLICT (key_id) DO UPDATE SET key_hash = EXCLUDED.key_hash""",
        rows,
    )


async def revoke_keys(conn: asyncpg.Connection, rows: Sequence[RevocationRow]) -> None:
    """Revocation is final, even when it arrives before the key it revokes."""
    await conn.executemany(
        """INSERT INTO company_keys (key_id, company_id, revoked) VALUES ($1, $2, true)
           ON CONFLICT (key_id) DO UPDATE SET revoked = true""",
        rows,
    )


async def company_for_key(conn: asyncpg.Connection, key_hash: str) -> UUID | None:
    """The company whose live (issued, not revoked) key has this hash."""
    found: UUID | None = await conn.fetchval(
        "SELECT company_id FROM company_keys WHERE key_hash = $1 AND NOT revoked", key_hash
    )
    return found


async def company(conn: asyncpg.Connection, company_id: UUID) -> Company | None:
    row = await conn.fetchrow("SELECT * FROM companies WHERE company_id = $1", company_id)
    return company_of(row) if row else None


def company_of(row: asyncpg.Record) -> Company:
    return Company(row["company_id"], row["name"], row["hr_contact_name"], row["hr_contact_email"])
