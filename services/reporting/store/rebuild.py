"""SQL of a rebuild: the wipe it starts with."""

from __future__ import annotations

import asyncpg

PROJECTION_TABLES = (
    "cohorts",
    "companies",
    "company_keys",
    "participants",
    "pairs",
    "sessions",
    "agreements",
    "evaluations",
    "evaluation_answers",
    "evaluation_quotes",
    "member_tokens",
)


async def clear_for_rebuild(conn: asyncpg.Connection) -> None:
    """Empty the projections and the processed-event record inside the caller's transaction.

    EXCLUSIVE on processed_events makes a live consumer wait at its first insert until the rebuild
    commits, while dashboards keep reading the old rows; DELETE (not TRUNCATE) keeps readers unblocked.
    """
    await conn.execute("LOCK TABLE processed_events IN EXCLUSIVE MODE")
    for table in (*PROJECTION_TABLES, "processed_events"):
        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
