"""How reporting applies the events it consumes: the handler table."""

from __future__ import annotations

import asyncpg

from shared.events import ParticipantRegistered
from shared.messaging.dispatch import Dispatcher


async def add_participant(conn: asyncpg.Connection, event: ParticipantRegistered) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, company_id, cohort_id, role) VALUES ($1, $2, $3, $4)
           ON CONFLICT (participant_id) DO NOTHING""",
        event.participant_id,
        event.company_id,
        event.cohort_id,
        event.role,
    )


project = Dispatcher({ParticipantRegistered: [add_participant]})
