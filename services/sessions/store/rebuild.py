"""SQL of a rebuild: the wipe of sessions' projections it starts with (shared/messaging/rebuild.py).

Pairs (matching's events), participants' names, companies and cohorts (intake's events) are emptied;
sessions, their versions and notes, members' tokens, agreements, evaluations and their answers, and
unknown-pair sightings are sessions' own and stay. Sessions, tokens and agreements refer to pairs by
foreign keys, deferrable: checked when the rebuild commits, by which time every pair is back.
"""

from __future__ import annotations

import asyncpg

PROJECTION_TABLES = ("pairs", "participants", "companies", "cohorts")


async def clear_projections(conn: asyncpg.Connection) -> None:
    """Inside the rebuild's transaction: readers keep the old rows until it commits."""
    await conn.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in PROJECTION_TABLES:
        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
