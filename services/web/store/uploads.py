"""SQL of a partner company's uploads: the file between its dry run and its import, and the progress."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg


async def insert_upload(
    conn: asyncpg.Connection,
    upload_id: UUID,
    company_key: str,
    cohort_id: UUID,
    filename: str,
    content_type: str,
    data: bytes,
    checked: dict[str, Any],
    expires_at: datetime,
) -> None:
    await conn.execute(
        """INSERT INTO company_uploads
               (upload_id, company_key, cohort_id, filename, content_type, data, checked, state, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'checked', $8)""",
        upload_id,
        company_key,
        cohort_id,
        filename,
        content_type,
        data,
        json.dumps(checked),
        expires_at,
    )


def _upload(row: asyncpg.Record) -> dict[str, Any]:
    found = dict(row)
    for name in ("checked", "report"):
        if isinstance(found.get(name), str):
            found[name] = json.loads(found[name])
    return found


async def upload(conn: asyncpg.Connection, upload_id: UUID, company_key: str) -> dict[str, Any] | None:
    """The company's own upload; another company's is None, as if it did not exist."""
    row = await conn.fetchrow(
        "SELECT * FROM company_uploads WHERE upload_id = $1 AND company_key = $2 AND expires_at > now()",
        upload_id,
        company_key,
    )
    return _upload(row) if row else None


async def start_import(conn: asyncpg.Connection, upload_id: UUID, company_key: str, total: int) -> bool:
    """Only once: a second click (or a reload) finds it started and starts nothing."""
    started = await conn.fetchval(
        """UPDATE company_uploads SET state = 'importing', total = $3, done = 0
           WHERE upload_id = $1 AND company_key = $2 AND state = 'checked' RETURNING true""",
        upload_id,
        company_key,
        total,
    )
    return bool(started)


async def progress(conn: asyncpg.Connection, upload_id: UUID, done: int) -> None:
    await conn.execute("UPDATE company_uploads SET done = $2 WHERE upload_id = $1", upload_id, done)


async def finish(conn: asyncpg.Connection, upload_id: UUID, report: dict[str, Any]) -> None:
    """Done: the report stays, the file (names, emails) goes."""
    await conn.execute(
        """UPDATE company_uploads SET state = 'done', done = total, report = $2::jsonb, data = NULL
           WHERE upload_id = $1""",
        upload_id,
        json.dumps(report),
    )


async def fail(conn: asyncpg.Connection, upload_id: UUID, failure: str, report: dict[str, Any]) -> None:
    await conn.execute(
        """UPDATE company_uploads SET state = 'failed', failure = $2, report = $3::jsonb, data = NULL
           WHERE upload_id = $1""",
        upload_id,
        failure,
        json.dumps(report),
    )


async def delete_expired(conn: asyncpg.Connection) -> None:
    await conn.execute("DELETE FROM company_uploads WHERE expires_at <= now()")
