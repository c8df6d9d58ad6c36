"""A participant's data export (the right of access): everything intake holds about one person, for
staff or for the person themself (their personal token, recognised through MemberTokenIssued)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.errors import participant_not_found
from services.intake.store import export as store
from services.intake.store import reminders as reminder_store
from shared.data_export import export_answer
from shared.events import MemberTokenIssued
from shared.member_access import record_member_token

HOLDS = (
    "intake keeps each registration as the company sent it (name, email, job title, profile, free text, "
    "expectations, consent and its text version, withdrawal), the company and cohort it belongs to, and "
    "the answers kept so a retried registration is not registered twice (pruned after a while), and the "
    "reminder mails decided for the person (which rule, which pair, when, sent or not) and their opt-out."
)


async def export_participant(pool: asyncpg.Pool, participant_id: UUID, by_staff: bool) -> dict[str, Any]:
    async with pool.acquire() as conn:
        data = await store.participant_rows(conn, participant_id)
        if data is not None:
            data["reminders"] = await reminder_store.of_participant(conn, participant_id)
    if data is None:
        raise participant_not_found(participant_id)
    return export_answer("intake", participant_id, by_staff, HOLDS, data)


async def member_token_issued(conn: asyncpg.Connection, event: MemberTokenIssued) -> None:
    """A member's new personal token: they may read their own export here."""
    await record_member_token(conn, event)
