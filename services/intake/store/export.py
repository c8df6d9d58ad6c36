"""SQL of a participant's data export: every row intake keeps about one person, as it is stored."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def participant_rows(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any] | None:
    """The registration, the consent text agreed to, its company and cohort, and the idempotency records
    that name the person."""
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1", participant_id)
    if row is None:
        return None
    registration = {k: v for k, v in dict(row).items() if k != "seq"}
    company = await conn.fetchrow(
        "SELECT company_id, name FROM companies WHERE company_id = $1", row["company_id"]
    )
    cohort = await conn.fetchrow(
        "SELECT cohort_id, name, intake_opens_on, intake_closes_on FROM cohorts WHERE cohort_id = $1",
        row["cohort_id"],
    )
    claims = await conn.fetch(
        """SELECT scope, key, status_code, response, created_at FROM idempotency_keys
           WHERE participant_id = $1 ORDER BY created_at""",
        participant_id,
    )
    consent_text = await conn.fetchrow(
        "SELECT version, text_da, text_en, published_on FROM consent_texts WHERE version = $1",
        row["consent_text_version"],
    )
    return {
        "registration": registration,
        "consent_text": dict(consent_text) if consent_text else None,
        "company": dict(company) if company else None,
        "cohort": dict(cohort) if cohort else None,
        "idempotency_records": [dict(c) for c in claims],
    }
