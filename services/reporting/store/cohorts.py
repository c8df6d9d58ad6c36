"""SQL for cohorts: made known by any event naming them, named by CohortOpened/CohortUpdated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.reporting.domain.model import Cohort
from services.reporting.store.upsert import upsert


class CohortRow(NamedTuple):
    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date
    kickoff_on: date | None
    midpoint_on: date | None
    closing_on: date | None
    opened_at: datetime
    opened_event: UUID


STATE = upsert("cohorts", CohortRow, ("opened_at", "opened_event"), "latest")


async def touch_cohorts(conn: asyncpg.Connection, cohort_ids: Iterable[UUID]) -> None:
    """Every event naming a cohort makes it known, before its CohortOpened may have arrived."""
    await conn.execute(
        "INSERT INTO cohorts (cohort_id) SELECT unnest($1::uuid[]) ORDER BY 1 ON CONFLICT DO NOTHING",
        sorted(set(cohort_ids)),
    )


async def state_cohorts(conn: asyncpg.Connection, rows: Sequence[CohortRow]) -> None:
    """CohortOpened or CohortUpdated: each carries the whole cohort, and the latest one wins."""
    await conn.executemany(STATE, rows)


async def cohorts(conn: asyncpg.Connection, company_id: UUID | None = None) -> list[Cohort]:
    """Every cohort, or only those a company has participants or pairs in; newest intake first."""
    rows = await conn.fetch(
        """SELECT cohort_id, name, intake_opens_on, intake_closes_on, kickoff_on, midpoint_on, closing_on,
                  closed_on FROM cohorts c
           WHERE $1::uuid IS NULL
              OR EXISTS (SELECT 1 FROM participants p WHERE p.cohort_id = c.cohort_id AND p.company_id = $1)
              OR EXISTS (SELECT 1 FROM pairs p WHERE p.cohort_id = c.cohort_id AND p.matched_at IS NOT NULL
                         AND $1 IN (p.mentee_company_id, p.mentor_company_id))
           ORDER BY intake_opens_on DESC NULLS LAST, name, cohort_id""",
        company_id,
    )
    return [cohort_of(r) for r in rows]


def cohort_of(row: asyncpg.Record) -> Cohort:
    return Cohort(
        row["cohort_id"], row["name"], row["intake_opens_on"], row["intake_closes_on"], row["kickoff_on"],
        row["midpoint_on"], row["closing_on"], row["closed_on"],
    )  # fmt: skip


async def close_cohorts(conn: asyncpg.Connection, rows: Sequence[tuple[UUID, date]]) -> None:
    """CohortClosed: a closing is final; the earliest day is kept (the row exists: touch_cohorts)."""
    await conn.executemany(
        "UPDATE cohorts SET closed_on = LEAST(coalesce(closed_on, $2), $2) WHERE cohort_id = $1", rows
    )
