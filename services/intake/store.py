"""All of intake's SQL."""

from __future__ import annotations

import asyncpg

from shared.events import ParticipantRegistered


async def add_participant(conn: asyncpg.Connection, event: ParticipantRegistered) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, company_id, cohort_id, role, display_name, profile)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        event.participant_id,
        event.company_id,
        event.cohort_id,
        event.role,
        event.display_name,
        event.profile.model_dump(mode="json"),
    )
