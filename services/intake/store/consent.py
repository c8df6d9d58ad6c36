"""SQL of the consent texts: append-only versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.consent import NewConsentText, PublishedText


async def insert_text(conn: asyncpg.Connection, text: NewConsentText, published_on: date) -> bool:
    """False when the version exists already (versions never change)."""
    inserted = await conn.fetchval(
        """INSERT INTO consent_texts (version, text_da, text_en, published_on) VALUES ($1, $2, $3, $4)
           ON CONFLICT (version) DO NOTHING RETURNING version""",
        text.version,
        text.text_da,
        text.text_en,
        published_on,
    )
    return inserted is not None


async def texts(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every version, newest first."""
    rows = await conn.fetch("SELECT * FROM consent_texts ORDER BY published_on DESC, created_at DESC")
    return [dict(r) for r in rows]


async def text(conn: asyncpg.Connection, version: str) -> dict[str, Any] | None:
    row = await conn.fetchrow("SELECT * FROM consent_texts WHERE version = $1", version)
    return dict(row) if row else None


async def published(conn: asyncpg.Connection) -> list[PublishedText]:
    rows = await conn.fetch(
        "SELECT version, published_on FROM consent_texts ORDER BY published_on DESC, created_at DESC"
    )
    return [PublishedText(r["version"], r["published_on"]) for r in rows]


async def record_withdrawal(conn: asyncpg.Connection, participant_id: UUID, at: datetime, by: str) -> None:
    """The first withdrawal is the one kept."""
    await conn.execute(
        """INSERT INTO consent_withdrawals (participant_id, withdrawn_at, withdrawn_by) VALUES ($1, $2, $3)
           ON CONFLICT (participant_id) DO NOTHING""",
        participant_id,
        at,
        by,
    )


async def withdrawal(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow("SELECT * FROM consent_withdrawals WHERE participant_id = $1", participant_id)
    return dict(row) if row else None
