"""SQL for cohorts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.intake.domain.cohort import Cohort


def _cohort(row: asyncpg.Record) -> Cohort:
    return Cohort(
        row["cohort_id"], row["name"], row["intake_opens_on"], row["intake_closes_on"],
        row["kickoff_on"], row["midpoint_on"], row["closing_on"], row["closed_on"],
    )  # fmt: skip


async def insert_cohort(conn: asyncpg.Connection, cohort: Cohort, now: datetime) -> bool:
    """False when another cohort has the name already."""
    status = await conn.execute(
        """INSERT INTO cohorts (cohort_id, name, intake_opens_on, intake_closes_on, kickoff_on, midpoint_on,
                                  closing_on, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING""",
        cohort.cohort_id,
        cohort.name,
        cohort.intake_opens_on,
        cohort.intake_closes_on,
        cohort.kickoff_on,
        cohort.midpoint_on,
        cohort.closing_on,
        now,
    )
    return status.endswith(" 1")


async def get_cohort(conn: asyncpg.Connection, cohort_id: UUID, *, for_update: bool = False) -> Cohort | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT * FROM cohorts WHERE cohort_id = $1{lock}", cohort_id)
    return _cohort(row) if row else None


async def list_cohorts(conn: asyncpg.Connection) -> list[Cohort]:
    return [_cohort(row) for row in await conn.fetch("SELECT * FROM cohorts ORDER BY intake_opens_on, name")]


async def name_taken(conn: asyncpg.Connection, name: str, other_than: UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM cohorts WHERE lower(name) = lower($1) AND cohort_id <> $2", name, other_than
        )
    )


async def save_cohort(conn: asyncpg.Connection, cohort: Cohort, now: datetime) -> None:
    await conn.execute(
        """UPDATE cohorts SET name = $2, intake_opens_on = $3, intake_closes_on = $4, kickoff_on = $5,
                  midpoint_on = $6, closing_on = $7, closed_on = $8, updated_at = $9
           WHERE cohort_id = $1""",
        cohort.cohort_id,
        cohort.name,
        cohort.intake_opens_on,
        cohort.intake_closes_on,
        cohort.kickoff_on,
        cohort.midpoint_on,
        cohort.closing_on,
        cohort.closed_on,
        now,
    )
