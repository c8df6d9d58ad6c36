"""SQL reading one cohort whole: what the figures are computed from."""

from __future__ import annotations

from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from services.reporting.domain.model import CohortData, Pair, Participant, Session
from services.reporting.store.cohorts import cohort_of
from services.reporting.store.companies import company_of


async def load_cohort(conn: asyncpg.Connection, cohort_id: UUID, timezone: str) -> CohortData | None:
    """Matched pairs only, sessions held and not retracted; a pair's day in the programme's calendar."""
    cohort = await conn.fetchrow("SELECT * FROM cohorts WHERE cohort_id = $1", cohort_id)
    if cohort is None:
        return None
    zone = ZoneInfo(timezone)
    companies = await conn.fetch("SELECT * FROM companies")
    participants = await conn.fetch(
        """SELECT participant_id, company_id, role, display_name, withdrawn_at IS NOT NULL AS withdrawn
           FROM participants WHERE cohort_id = $1 ORDER BY participant_id""",
        cohort_id,
    )
    pairs = await conn.fetch(
        """SELECT * FROM pairs WHERE cohort_id = $1 AND matched_at IS NOT NULL ORDER BY pair_id""",
        cohort_id,
    )
    sessions = await conn.fetch(
        """SELECT session_id, pair_id, held_on, duration_minutes, format, tools FROM sessions
           WHERE cohort_id = $1 AND held_on IS NOT NULL AND retracted_at IS NULL ORDER BY session_id""",
        cohort_id,
    )
    return CohortData(
        cohort=cohort_of(cohort),
        companies={r["company_id"]: company_of(r) for r in companies},
        participants=tuple(
            Participant(r["participant_id"], r["company_id"], r["role"], r["display_name"], r["withdrawn"])
            for r in participants
        ),
        pairs=tuple(
            Pair(
                pair_id=r["pair_id"],
                mentee_id=r["mentee_id"],
                mentor_id=r["mentor_id"],
                mentee_company_id=r["mentee_company_id"],
                mentor_company_id=r["mentor_company_id"],
                matched_on=r["matched_at"].astimezone(zone).date(),
                ended_on=r["ended_on"],
                end_reason=r["end_reason"],
            )
            for r in pairs
        ),
        sessions=tuple(
            Session(
                r["session_id"],
                r["pair_id"],
                r["held_on"],
                r["duration_minutes"],
                r["format"],
                tuple(r["tools"]),
            )
            for r in sessions
        ),
    )
