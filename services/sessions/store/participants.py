"""Members' names and withdrawals, projected from intake's events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.privacy import ERASED


async def record_participant_named(
    conn: asyncpg.Connection, participant_id: UUID, display_name: str, stated_at: datetime
) -> None:
    """The newest statement of a name wins, whatever order intake's events arrive in."""
    await conn.execute(
        """INSERT INTO participants (participant_id, display_name, stated_at) VALUES ($1, $2, $3)
           ON CONFLICT (participant_id) DO UPDATE SET display_name = $2, stated_at = $3
           WHERE participants.stated_at <= $3""",
        participant_id,
        display_name,
        stated_at,
    )


async def record_participant_withdrawn(
    conn: asyncpg.Connection, participant_id: UUID, stated_at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, withdrawn, stated_at) VALUES ($1, true, $2)
           ON CONFLICT (participant_id) DO UPDATE SET withdrawn = true""",
        participant_id,
        stated_at,
    )


async def erase_participants(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "UPDATE participants SET display_name = $2 WHERE participant_id = ANY($1::uuid[])",
        list(participant_ids),
        ERASED,
    )
