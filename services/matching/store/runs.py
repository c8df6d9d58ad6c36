"""Runs and their proposals: what the solver proposed, for staff to review and approve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg import Record


async def add_run(
    conn: asyncpg.Connection, run: dict[str, Any], proposals: Sequence[tuple[Any, ...]]
) -> None:
    """Store a run and its proposals; older proposed runs of the cohort can no longer be approved."""
    await conn.execute(
        "UPDATE runs SET status = 'superseded' WHERE cohort_id = $1 AND status = 'proposed'", run["cohort_id"]
    )
    await conn.execute(
        """INSERT INTO runs (run_id, cohort_id, status, settings, objective, solver, unmatched, dropped_pins)
           VALUES ($1, $2, 'proposed', $3, $4, $5, $6, $7)""",
        run["run_id"],
        run["cohort_id"],
        run["settings"],
        run["objective"],
        run["solver"],
        run["unmatched"],
        run["dropped_pins"],
    )
    await conn.executemany(
        """INSERT INTO proposals (run_id, mentee_id, mentor_id, score, explanation, pinned)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        proposals,
    )


async def run(conn: asyncpg.Connection, run_id: UUID, *, for_update: bool = False) -> Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM runs WHERE run_id = $1{lock}", run_id)


async def runs(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    return await conn.fetch(
        """SELECT run_id, cohort_id, status, created_at, approved_at, objective FROM runs
           WHERE cohort_id = $1 ORDER BY created_at DESC""",
        cohort_id,
    )


async def proposals(conn: asyncpg.Connection, run_id: UUID) -> list[Record]:
    return await conn.fetch(
        """SELECT pr.*, e.display_name AS mentee_name, m.display_name AS mentor_name,
                  e.company_id AS mentee_company_id, m.company_id AS mentor_company_id
           FROM proposals pr
           JOIN participants e ON e.participant_id = pr.mentee_id
           JOIN participants m ON m.participant_id = pr.mentor_id
           WHERE pr.run_id = $1 ORDER BY pr.score DESC, pr.mentee_id""",
        run_id,
    )


async def mark_approved(conn: asyncpg.Connection, run_id: UUID) -> None:
    await conn.execute("UPDATE runs SET status = 'approved', approved_at = now() WHERE run_id = $1", run_id)
