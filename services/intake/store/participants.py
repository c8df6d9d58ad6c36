"""SQL for participants: batched inserts for imports, reads scoped to one company."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.participant import Participant
from services.intake.domain.registration import Registration

_REGISTRATION_COLUMNS = (
    "cohort_id", "role", "external_ref", "name", "email", "job_title", "leadership_level",
    "years_experience", "industry", "function", "languages", "region", "meeting_preference", "themes",
    "themes_free_text", "expectations", "capacity", "avoid_company_ids", "consent_text_version",
)  # fmt: skip
_STATE_COLUMNS = (
    "participant_id", "company_id", "status", "consented_at", "registered_at", "updated_at",
    "withdrawn_at", "withdrawal_reason", "withdrawal_note",
)  # fmt: skip
_COLUMNS = _STATE_COLUMNS + _REGISTRATION_COLUMNS
_STAGING = f"""CREATE TEMP TABLE IF NOT EXISTS staged_participants ON COMMIT DELETE ROWS
    AS SELECT {", ".join(_COLUMNS)} FROM participants WITH NO DATA"""
_MUTABLE = [
    c for c in _COLUMNS if c not in {"participant_id", "company_id", "cohort_id", "role", "external_ref"}
]


@dataclass(frozen=True)
class Filters:
    cohort_id: UUID | None = None
    role: str | None = None
    status: str | None = None
    external_ref: str | None = None


def _values(p: Participant) -> tuple[Any, ...]:
    """The row of a participant, in _COLUMNS order (spelled out: imports build thousands of these)."""
    r = p.registration
    return (
        p.participant_id, p.company_id, p.status, p.consented_at, p.registered_at, p.updated_at,
        p.withdrawn_at, p.withdrawal_reason, p.withdrawal_note,
        r.cohort_id, r.role, r.external_ref, r.name, r.email, r.job_title, r.leadership_level,
        r.years_experience, r.industry, r.function, list(r.languages), r.region, r.meeting_preference,
        list(r.themes), r.themes_free_text, r.expectations, r.capacity, list(r.avoid_company_ids),
        r.consent_text_version,
    )  # fmt: skip


def participant_of(row: asyncpg.Record) -> Participant:
    fields = {c: row[c] for c in _REGISTRATION_COLUMNS}
    for listed in ("languages", "themes", "avoid_company_ids"):
        fields[listed] = tuple(fields[listed])
    registration = Registration.model_construct(**fields, consent=True, consented_at=row["consented_at"])
    return Participant(registration=registration, **{c: row[c] for c in _STATE_COLUMNS})


async def insert_participants(conn: asyncpg.Connection, participants: Sequence[Participant]) -> set[UUID]:
    """COPY into a staging table, then insert what does not clash; returns those inserted (an email
    taken meanwhile skips one). Call inside a transaction: the staging rows vanish at commit."""
    if not participants:
        return set()
    await conn.execute(_STAGING)
    await conn.copy_records_to_table(
        "staged_participants", records=map(_values, participants), columns=_COLUMNS
    )
    rows = await conn.fetch(
        f"""INSERT INTO participants ({", ".join(_COLUMNS)}) SELECT * FROM staged_participants
            ON CONFLICT DO NOTHING RETURNING participant_id"""
    )
    return {row["participant_id"] for row in rows}


async def save_participant(conn: asyncpg.Connection, participant: Participant) -> None:
    """Write the participant's new state; raises UniqueViolationError if its new email is taken."""
    assignments = ", ".join(f"{c} = ${i}" for i, c in enumerate(_MUTABLE, start=2))
    values = dict(zip(_COLUMNS, _values(participant), strict=True))
    await conn.execute(
        f"UPDATE participants SET {assignments} WHERE participant_id = $1",
        participant.participant_id,
        *(values[c] for c in _MUTABLE),
    )


async def get_participant(
    conn: asyncpg.Connection, company_id: UUID, participant_id: UUID, *, for_update: bool = False
) -> Participant | None:
    """Only the company's own participant: another company's is simply not found."""
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT * FROM participants WHERE company_id = $1 AND participant_id = $2{lock}",
        company_id,
        participant_id,
    )
    return participant_of(row) if row else None


async def active_participants_of_company(conn: asyncpg.Connection, company_id: UUID) -> list[Participant]:
    """Every active participant of the company, in every cohort, locked until the transaction ends."""
    rows = await conn.fetch(
        "SELECT * FROM participants WHERE company_id = $1 AND status = 'active' ORDER BY seq FOR UPDATE",
        company_id,
    )
    return [participant_of(row) for row in rows]


async def list_participants(
    conn: asyncpg.Connection, company_id: UUID, filters: Filters, after: int, limit: int
) -> tuple[list[Participant], int | None]:
    """One page of the company's participants in registration order, and the cursor of the next page."""
    rows = await conn.fetch(
        """SELECT * FROM participants
           WHERE company_id = $1 AND seq > $2
             AND ($3::uuid IS NULL OR cohort_id = $3) AND ($4::text IS NULL OR role = $4)
             AND ($5::text IS NULL OR status = $5) AND ($6::text IS NULL OR external_ref = $6)
           ORDER BY seq LIMIT $7""",
        company_id,
        after,
        filters.cohort_id,
        filters.role,
        filters.status,
        filters.external_ref,
        limit + 1,
    )
    page = rows[:limit]
    more = len(rows) > limit
    return [participant_of(row) for row in page], (page[-1]["seq"] if more else None)


async def taken_emails(conn: asyncpg.Connection, cohort_id: UUID, emails: Iterable[str]) -> set[str]:
    """Which of these (lower-cased) emails an active participant of the cohort already has."""
    rows = await conn.fetch(
        """SELECT lower(email) AS email FROM participants
           WHERE cohort_id = $1 AND status = 'active' AND lower(email) = ANY($2::text[])""",
        cohort_id,
        list(emails),
    )
    return {row["email"] for row in rows}
