"""A participant's data export (the right of access): what matching holds about one person, for staff
or for the person themself (their personal token, recognised through sessions' MemberTokenIssued)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from services.matching.store import export as store
from shared.data_export import export_answer
from shared.events import MemberTokenIssued
from shared.member_access import record_member_token

HOLDS = (
    "matching keeps the profile intake published (display name, the attributes it scores on), and every "
    "proposal, pin, exclusion and pair that names the person, with its score and the score's explanation."
)


async def export_participant(pool: asyncpg.Pool, participant_id: UUID, by_staff: bool) -> dict[str, Any]:
    """Answers with empty lists for a person matching has not heard of: it holds nothing about them."""
    async with pool.acquire() as conn:
        data = await store.participant_rows(conn, participant_id)
    return export_answer("matching", participant_id, by_staff, HOLDS, data)


async def member_token_issued(conn: asyncpg.Connection, event: MemberTokenIssued) -> None:
    """A member's new personal token: they may read their own export here."""
    await record_member_token(conn, event)
