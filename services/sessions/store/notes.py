"""Private notes: written with a session's version, read only for the pair's members."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg


async def set_notes(conn: asyncpg.Connection, session_id: UUID, version: int, notes: str | None) -> None:
    await conn.execute(
        "INSERT INTO session_notes (session_id, version, notes) VALUES ($1, $2, $3)",
        session_id,
        version,
        notes,
    )


async def notes_in_force(conn: asyncpg.Connection, session_ids: Sequence[UUID]) -> dict[UUID, str | None]:
    """Member views only: each session's notes as of its current version."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (n.session_id) n.session_id, n.notes
           FROM session_notes n JOIN sessions s ON s.session_id = n.session_id AND n.version <= s.version
           WHERE n.session_id = ANY($1::uuid[])
           ORDER BY n.session_id, n.version DESC""",
        list(session_ids),
    )
    return {row["session_id"]: row["notes"] for row in rows}


async def notes_history(conn: asyncpg.Connection, session_id: UUID) -> dict[int, str | None]:
    """Member views only: version -> the notes that version set."""
    rows = await conn.fetch(
        "SELECT version, notes FROM session_notes WHERE session_id = $1 ORDER BY version", session_id
    )
    return {row["version"]: row["notes"] for row in rows}


async def delete_notes_of_members(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> int:
    """Erasure: the notes of every session of every pair one of `participant_ids` is a member of."""
    deleted = await conn.fetch(
        """DELETE FROM session_notes n USING sessions s, pairs p
           WHERE n.session_id = s.session_id AND s.pair_id = p.pair_id
             AND (p.mentee_id = ANY($1::uuid[]) OR p.mentor_id = ANY($1::uuid[]))
           RETURNING n.session_id""",
        list(participant_ids),
    )
    return len(deleted)
