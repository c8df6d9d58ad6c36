"""Erasure's SQL: lock the people, scrub every personal value, forget stored answers, pending keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.domain.participant import Participant
from services.intake.store.participants import participant_of
from shared.member_access import forget_member_tokens
from shared.privacy import ERASED
from shared.privacy.sealing import remember_erased_subjects


async def lock_participants(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> list[Participant]:
    rows = await conn.fetch(
        "SELECT * FROM participants WHERE participant_id = ANY($1::uuid[]) ORDER BY participant_id FOR UPDATE",
        list(participant_ids),
    )
    return [participant_of(row) for row in rows]


async def scrub(conn: asyncpg.Connection, participant_ids: Sequence[UUID], at: datetime) -> None:
    """Every personal value of the row goes; ids, role, cohort, company and status stay (counts hold).
    The answers kept for retried registrations hold the person's details too: they go as well."""
    await conn.execute(
        """UPDATE participants SET status = 'erased', erased_at = $2, updated_at = $2, name = $3, email = '',
               job_title = '', themes_free_text = '', expectations = '', withdrawal_note = '',
               external_ref = NULL
           WHERE participant_id = ANY($1::uuid[])""",
        list(participant_ids),
        at,
        ERASED,
    )
    await conn.execute(
        "DELETE FROM idempotency_keys WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )
    # their personal links (token hashes, per pair seat) and their opt-out go; nothing mails them again
    await forget_member_tokens(conn, participant_ids)
    await conn.execute(
        "DELETE FROM reminder_opt_outs WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )
    await remember_erased_subjects(conn, participant_ids)  # a replayed MemberTokenIssued is not kept


async def mark_pending(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "INSERT INTO erasures_pending (participant_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING",
        list(participant_ids),
    )


async def pending(conn: asyncpg.Connection, limit: int = 10_000) -> list[UUID]:
    rows = await conn.fetch(
        "SELECT participant_id FROM erasures_pending ORDER BY requested_at LIMIT $1", limit
    )
    return [row["participant_id"] for row in rows]


async def keys_destroyed(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "DELETE FROM erasures_pending WHERE participant_id = ANY($1::uuid[])", list(participant_ids)
    )
