"""SQL for partner companies and their API keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.domain.company import NewCompany

_KEY_COLUMNS = "key_id, company_id, key_prefix, label, created_at, last_used_at, revoked_at"


async def insert_company(
    conn: asyncpg.Connection, company_id: UUID, company: NewCompany, now: datetime
) -> asyncpg.Record | None:
    """The new row, or None when another company has the name already."""
    return await conn.fetchrow(
        """INSERT INTO companies (company_id, name, hr_contact_name, hr_contact_email, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING *""",
        company_id,
        company.name,
        company.hr_contact_name,
        company.hr_contact_email,
        now,
    )


async def get_company(
    conn: asyncpg.Connection, company_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM companies WHERE company_id = $1{lock}", company_id)


async def company_avoid_list(conn: asyncpg.Connection, company_id: UUID) -> tuple[UUID, ...]:
    """The company's must-not-pair list, read under a share lock: a change to the list waits for the
    registrations in flight, and they wait for it, so none publishes a profile without the new list."""
    row = await conn.fetchrow(
        "SELECT avoid_company_ids FROM companies WHERE company_id = $1 FOR SHARE", company_id
    )
    return tuple(row["avoid_company_ids"]) if row else ()


async def set_avoid_list(
    conn: asyncpg.Connection, company_id: UUID, avoid_company_ids: tuple[UUID, ...]
) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE companies SET avoid_company_ids = $2 WHERE company_id = $1 RETURNING *",
        company_id,
        list(avoid_company_ids),
    )


async def set_contact(
    conn: asyncpg.Connection, company_id: UUID, hr_contact_name: str, hr_contact_email: str
) -> asyncpg.Record:
    return await conn.fetchrow(
        """UPDATE companies SET hr_contact_name = $2, hr_contact_email = $3 WHERE company_id = $1
           RETURNING *""",
        company_id,
        hr_contact_name,
        hr_contact_email,
    )


async def list_companies(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM companies ORDER BY lower(name)")


async def existing_companies(conn: asyncpg.Connection, company_ids: Iterable[UUID]) -> set[UUID]:
    rows = await conn.fetch(
        "SELECT company_id FROM companies WHERE company_id = ANY($1::uuid[])", list(company_ids)
    )
    return {row["company_id"] for row in rows}


async def insert_key(
    conn: asyncpg.Connection,
    key_id: UUID,
    company_id: UUID,
    key_hash: str,
    key_prefix: str,
    label: str,
    now: datetime,
) -> asyncpg.Record:
    return await conn.fetchrow(
        f"""INSERT INTO api_keys (key_id, company_id, key_hash, key_prefix, label, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING {_KEY_COLUMNS}""",
        key_id,
        company_id,
        key_hash,
        key_prefix,
        label,
        now,
    )


async def list_keys(conn: asyncpg.Connection, company_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE company_id = $1 ORDER BY created_at", company_id
    )


async def revoke_key(
    conn: asyncpg.Connection, company_id: UUID, key_id: UUID, now: datetime
) -> tuple[asyncpg.Record | None, bool]:
    """(the key, whether this call revoked it); (None, False) for a key the company does not have."""
    revoked = await conn.fetchrow(
        f"""UPDATE api_keys SET revoked_at = $3
            WHERE company_id = $1 AND key_id = $2 AND revoked_at IS NULL RETURNING {_KEY_COLUMNS}""",
        company_id,
        key_id,
        now,
    )
    if revoked is not None:
        return revoked, True
    existing = await conn.fetchrow(
        f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE company_id = $1 AND key_id = $2", company_id, key_id
    )
    return existing, False


async def key_holder(conn: asyncpg.Connection, key_hash: str) -> asyncpg.Record | None:
    """The live key with this hash (company_id, key_id, last_used_at); None if unknown or revoked."""
    return await conn.fetchrow(
        "SELECT company_id, key_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        key_hash,
    )


async def touch_key(conn: asyncpg.Connection, key_id: UUID, now: datetime) -> None:
    await conn.execute("UPDATE api_keys SET last_used_at = $2 WHERE key_id = $1", key_id, now)
