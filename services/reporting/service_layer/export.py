"""A participant's data export (the right of access): the rows reporting keeps about one person, for
staff or for the person themself (their personal token, recognised through MemberTokenIssued)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from services.reporting.store import export as store
from shared.data_export import export_answer
from shared.events import MemberTokenIssued
from shared.member_access import record_member_token
from shared.messaging.dispatch import batched

HOLDS = (
    "reporting keeps, to count them on dashboards: the person's display name, role, company and cohort, "
    "when they withdrew, their pairs (when matched, when and why ended) and those pairs' sessions "
    "(when, how long, how, which tools; never ratings or notes); the evaluation quotes they consented to "
    "publish, shown signed by role and year only."
)


async def export_participant(pool: asyncpg.Pool, participant_id: UUID, by_staff: bool) -> dict[str, Any]:
    """Answers with empty rows for a person reporting has not heard of: it holds nothing about them."""
    async with pool.acquire() as conn:
        data = await store.participant_rows(conn, participant_id)
    return export_answer("reporting", participant_id, by_staff, HOLDS, data)


@batched
async def member_tokens_issued(conn: asyncpg.Connection, events: Sequence[MemberTokenIssued]) -> None:
    """Members' new personal tokens: each may read their own export here."""
    for event in events:
        await record_member_token(conn, event)
