"""SQL of a rebuild: the wipe of matching's projection of intake it starts with (shared/messaging/rebuild.py).

Companies and participants come only from intake's events, members' tokens only from sessions'
MemberTokenIssued: they are emptied. A cohort row also holds
the settings staff chose (matching's own state), so only its projected part, the name, is cleared.
Runs, proposals, pins, exclusions and pairs are matching's own decisions and stay as they are.
"""

from __future__ import annotations

import asyncpg

PROJECTION_TABLES = ("companies", "participants", "member_tokens")


async def clear_projections(conn: asyncpg.Connection) -> None:
    """Inside the rebuild's transaction: readers keep the old rows until it commits."""
    for table in PROJECTION_TABLES:
        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    await conn.execute("UPDATE cohorts SET name = NULL")
