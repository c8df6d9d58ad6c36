"""Cohorts, companies and participants: matching's copy of intake, and each cohort's settings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

import asyncpg
from asyncpg import Record

from shared.events import ParticipantProfileUpdated, ParticipantRegistered, ParticipantWithdrawn
from shared.privacy import ERASED


async def name_cohort(conn: asyncpg.Connection, cohort_id: UUID, name: str) -> None:
    await conn.execute(
        """INSERT INTO cohorts (cohort_id, name) VALUES ($1, $2)
           ON CONFLICT (cohort_id) DO UPDATE SET name = excluded.name""",
        cohort_id,
        name,
    )


async def name_company(conn: asyncpg.Connection, company_id: UUID, name: str) -> None:
    await conn.execute(
        """INSERT INTO companies (company_id, name) VALUES ($1, $2)
           ON CONFLICT (company_id) DO UPDATE SET name = excluded.name""",
        company_id,
        name,
    )


async def ensure_cohorts(conn: asyncpg.Connection, cohort_ids: Iterable[UUID]) -> None:
    await conn.execute(
        "INSERT INTO cohorts (cohort_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING", sorted(cohort_ids)
    )


async def keep_profiles(
    conn: asyncpg.Connection, events: Sequence[ParticipantRegistered | ParticipantProfileUpdated]
) -> None:
    """Store each profile unless a later one is already stored; a withdrawal stays a withdrawal."""
    await conn.executemany(
        """INSERT INTO participants
               (participant_id, cohort_id, company_id, role, display_name, profile, profile_as_of)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (participant_id) DO UPDATE SET
               cohort_id = excluded.cohort_id, company_id = excluded.company_id, role = excluded.role,
               display_name = excluded.display_name, profile = excluded.profile,
               profile_as_of = excluded.profile_as_of
           WHERE participants.profile_as_of IS NULL OR participants.profile_as_of <= excluded.profile_as_of""",
        [
            (
                event.participant_id,
                event.cohort_id,
                event.company_id,
                event.role,
                event.display_name,
                event.profile.model_dump(mode="json"),
                event.occurred_at,
            )
            for event in events
        ],
    )


async def mark_withdrawn(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, cohort_id, company_id, role, withdrawn)
           VALUES ($1, $2, $3, $4, true)
           ON CONFLICT (participant_id) DO UPDATE SET withdrawn = true""",
        event.participant_id,
        event.cohort_id,
        event.company_id,
        event.role,
    )


async def lock_cohort(conn: asyncpg.Connection, cohort_id: UUID) -> None:
    """Serialise decisions that change a cohort's pairs (approve, end, withdraw) until commit."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", str(cohort_id))


async def cohort(conn: asyncpg.Connection, cohort_id: UUID) -> Record | None:
    return await conn.fetchrow("SELECT * FROM cohorts WHERE cohort_id = $1", cohort_id)


async def save_settings(
    conn: asyncpg.Connection, cohort_id: UUID, weights: dict[str, float], fairness: bool, industry: str
) -> Record:
    row = await conn.fetchrow(
        """UPDATE cohorts SET weights = $2, fairness = $3, industry_preference = $4, settings_updated_at = now()
           WHERE cohort_id = $1 RETURNING *""",
        cohort_id,
        weights,
        fairness,
        industry,
    )
    assert row is not None
    return row


async def participant(conn: asyncpg.Connection, participant_id: UUID) -> Record | None:
    return await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1", participant_id)


async def participants(conn: asyncpg.Connection, cohort_id: UUID) -> list[Record]:
    """Everyone of the cohort matching knows a profile for, withdrawn or not."""
    return await conn.fetch(
        """SELECT p.*, c.name AS company_name FROM participants p
           LEFT JOIN companies c ON c.company_id = p.company_id
           WHERE p.cohort_id = $1 AND p.profile IS NOT NULL ORDER BY p.profile_as_of, p.participant_id""",
        cohort_id,
    )


async def names(conn: asyncpg.Connection, ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT participant_id, display_name FROM participants WHERE participant_id = ANY($1::uuid[])",
        list(ids),
    )
    return {r["participant_id"]: r["display_name"] for r in rows}


async def erase_participants(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "UPDATE participants SET display_name = $2, withdrawn = true WHERE participant_id = ANY($1::uuid[])",
        list(participant_ids),
        ERASED,
    )
