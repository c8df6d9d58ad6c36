"""All of reporting's SQL: the projection writes (order-tolerant upserts), the reads the figures are
computed from, and the wipe a rebuild starts with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from services.reporting.domain.model import Cohort, CohortData, Company, Pair, Participant, Session

PROJECTION_TABLES = ("cohorts", "companies", "company_keys", "participants", "pairs", "sessions")

# ---- projection writes: batches of rows, each write idempotent and commutative with every other write
# to the same row, so a batch may be grouped by kind and any arrival order ends in the same rows.


class CohortRow(NamedTuple):
    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date
    at: datetime
    event_id: UUID


class CompanyRow(NamedTuple):
    company_id: UUID
    name: str
    hr_contact_name: str
    hr_contact_email: str
    at: datetime
    event_id: UUID


class KeyRow(NamedTuple):
    key_id: UUID
    company_id: UUID
    key_hash: str


class RevocationRow(NamedTuple):
    key_id: UUID
    company_id: UUID


class ProfileRow(NamedTuple):
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: str
    display_name: str
    at: datetime
    rank: int  # 0 registered, 1 updated
    event_id: UUID


class WithdrawalRow(NamedTuple):
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: str
    at: datetime
    event_id: UUID


class MatchRow(NamedTuple):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    mentee_company_id: UUID
    mentor_company_id: UUID
    at: datetime
    event_id: UUID


class EndRow(NamedTuple):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    ended_on: date
    reason: str
    do_not_rematch: bool
    at: datetime
    event_id: UUID


class SessionRow(NamedTuple):
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    held_on: date
    started_at: datetime
    duration_minutes: int
    format: str
    tools: list[str]
    version: int  # the sessions service's number for the statement; 0 when it gave none
    at: datetime
    rank: int  # 0 held, 1 corrected
    event_id: UUID


class RetractionRow(NamedTuple):
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    at: datetime
    event_id: UUID


async def touch_cohorts(conn: asyncpg.Connection, cohort_ids: Iterable[UUID]) -> None:
    """Every event naming a cohort makes it known, before its CohortOpened may have arrived."""
    await conn.execute(
        "INSERT INTO cohorts (cohort_id) SELECT unnest($1::uuid[]) ORDER BY 1 ON CONFLICT DO NOTHING",
        sorted(set(cohort_ids)),
    )


async def state_cohorts(conn: asyncpg.Connection, rows: Sequence[CohortRow]) -> None:
    """CohortOpened or CohortUpdated: each carries the whole cohort, and the latest one wins."""
    await conn.executemany(
        """INSERT INTO cohorts (cohort_id, name, intake_opens_on, intake_closes_on, opened_at, opened_event)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (cohort_id) DO UPDATE SET
               name = EXCLUDED.name, intake_opens_on = EXCLUDED.intake_opens_on,
               intake_closes_on = EXCLUDED.intake_closes_on, opened_at = EXCLUDED.opened_at,
               opened_event = EXCLUDED.opened_event
           WHERE cohorts.opened_at IS NULL
              OR (cohorts.opened_at, cohorts.opened_event) < (EXCLUDED.opened_at, EXCLUDED.opened_event)""",
        rows,
    )


async def register_companies(conn: asyncpg.Connection, rows: Sequence[CompanyRow]) -> None:
    await conn.executemany(
        """INSERT INTO companies
               (company_id, name, hr_contact_name, hr_contact_email, registered_at, registered_event)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (company_id) DO UPDATE SET
               name = EXCLUDED.name, hr_contact_name = EXCLUDED.hr_contact_name,
               hr_contact_email = EXCLUDED.hr_contact_email, registered_at = EXCLUDED.registered_at,
               registered_event = EXCLUDED.registered_event
           WHERE (companies.registered_at, companies.registered_event)
                 < (EXCLUDED.registered_at, EXCLUDED.registered_event)""",
        rows,
    )


async def issue_keys(conn: asyncpg.Connection, rows: Sequence[KeyRow]) -> None:
    await conn.executemany(
        """INSERT INTO company_keys (key_id, company_id, key_hash) VALUES ($1, $2, $3)
           ON CONFLICT (key_id) DO UPDATE SET key_hash = EXCLUDED.key_hash""",
        rows,
    )


async def revoke_keys(conn: asyncpg.Connection, rows: Sequence[RevocationRow]) -> None:
    """Revocation is final, even when it arrives before the key it revokes."""
    await conn.executemany(
        """INSERT INTO company_keys (key_id, company_id, revoked) VALUES ($1, $2, true)
           ON CONFLICT (key_id) DO UPDATE SET revoked = true""",
        rows,
    )


async def record_profiles(conn: asyncpg.Connection, rows: Sequence[ProfileRow]) -> None:
    """Registrations and profile updates: the latest statement wins, whatever order they come in."""
    await conn.executemany(
        """INSERT INTO participants (participant_id, company_id, cohort_id, role, display_name,
                                     profile_at, profile_rank, profile_event)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (participant_id) DO UPDATE SET
               company_id = EXCLUDED.company_id, cohort_id = EXCLUDED.cohort_id, role = EXCLUDED.role,
               display_name = EXCLUDED.display_name, profile_at = EXCLUDED.profile_at,
               profile_rank = EXCLUDED.profile_rank, profile_event = EXCLUDED.profile_event
           WHERE participants.profile_at IS NULL
              OR (participants.profile_at, participants.profile_rank, participants.profile_event)
                 < (EXCLUDED.profile_at, EXCLUDED.profile_rank, EXCLUDED.profile_event)""",
        rows,
    )


async def withdraw(conn: asyncpg.Connection, rows: Sequence[WithdrawalRow]) -> None:
    """Withdrawal is final; if it comes before the registration, the row starts from what it says."""
    await conn.executemany(
        """INSERT INTO participants (participant_id, company_id, cohort_id, role, withdrawn_at, withdrawn_event)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (participant_id) DO UPDATE SET
               withdrawn_at = EXCLUDED.withdrawn_at, withdrawn_event = EXCLUDED.withdrawn_event
           WHERE participants.withdrawn_at IS NULL
              OR (EXCLUDED.withdrawn_at, EXCLUDED.withdrawn_event)
                 < (participants.withdrawn_at, participants.withdrawn_event)""",
        rows,
    )


async def match_pairs(conn: asyncpg.Connection, rows: Sequence[MatchRow]) -> None:
    await conn.executemany(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, mentee_company_id, mentor_company_id,
                              matched_at, matched_event)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (pair_id) DO UPDATE SET
               cohort_id = EXCLUDED.cohort_id, mentee_id = EXCLUDED.mentee_id, mentor_id = EXCLUDED.mentor_id,
               mentee_company_id = EXCLUDED.mentee_company_id, mentor_company_id = EXCLUDED.mentor_company_id,
               matched_at = EXCLUDED.matched_at, matched_event = EXCLUDED.matched_event
           WHERE pairs.matched_at IS NULL
              OR (EXCLUDED.matched_at, EXCLUDED.matched_event) < (pairs.matched_at, pairs.matched_event)""",
        rows,
    )


async def end_pairs(conn: asyncpg.Connection, rows: Sequence[EndRow]) -> None:
    """An end is final; if it comes before the match, the pair waits for its PairMatched to count."""
    await conn.executemany(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, ended_on, end_reason, do_not_rematch,
                              ended_at, ended_event)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (pair_id) DO UPDATE SET
               ended_on = EXCLUDED.ended_on, end_reason = EXCLUDED.end_reason,
               do_not_rematch = EXCLUDED.do_not_rematch, ended_at = EXCLUDED.ended_at,
               ended_event = EXCLUDED.ended_event
           WHERE pairs.ended_at IS NULL
              OR (EXCLUDED.ended_at, EXCLUDED.ended_event) < (pairs.ended_at, pairs.ended_event)""",
        rows,
    )


async def record_sessions(conn: asyncpg.Connection, rows: Sequence[SessionRow]) -> None:
    """Sessions held or corrected: the latest statement of the metadata wins, by the sessions
    service's version number when it gives one, else by time."""
    await conn.executemany(
        """INSERT INTO sessions (session_id, pair_id, cohort_id, held_on, started_at, duration_minutes,
                                 format, tools, version_no, version_at, version_rank, version_event)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (session_id) DO UPDATE SET
               pair_id = EXCLUDED.pair_id, cohort_id = EXCLUDED.cohort_id, held_on = EXCLUDED.held_on,
               started_at = EXCLUDED.started_at, duration_minutes = EXCLUDED.duration_minutes,
               format = EXCLUDED.format, tools = EXCLUDED.tools, version_no = EXCLUDED.version_no,
               version_at = EXCLUDED.version_at, version_rank = EXCLUDED.version_rank,
               version_event = EXCLUDED.version_event
           WHERE sessions.version_at IS NULL
              OR (sessions.version_no, sessions.version_at, sessions.version_rank, sessions.version_event)
                 < (EXCLUDED.version_no, EXCLUDED.version_at, EXCLUDED.version_rank, EXCLUDED.version_event)""",
        rows,
    )


async def retract_sessions(conn: asyncpg.Connection, rows: Sequence[RetractionRow]) -> None:
    """Retraction is final: a correction arriving later does not bring the session back."""
    await conn.executemany(
        """INSERT INTO sessions (session_id, pair_id, cohort_id, retracted_at, retracted_event)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (session_id) DO UPDATE SET
               retracted_at = EXCLUDED.retracted_at, retracted_event = EXCLUDED.retracted_event
           WHERE sessions.retracted_at IS NULL
              OR (EXCLUDED.retracted_at, EXCLUDED.retracted_event)
                 < (sessions.retracted_at, sessions.retracted_event)""",
        rows,
    )


# ---- reads


async def company_for_key(conn: asyncpg.Connection, key_hash: str) -> UUID | None:
    """The company whose live (issued, not revoked) key has this hash."""
    found: UUID | None = await conn.fetchval(
        "SELECT company_id FROM company_keys WHERE key_hash = $1 AND NOT revoked", key_hash
    )
    return found


async def company(conn: asyncpg.Connection, company_id: UUID) -> Company | None:
    row = await conn.fetchrow("SELECT * FROM companies WHERE company_id = $1", company_id)
    return _company(row) if row else None


async def cohorts(conn: asyncpg.Connection, company_id: UUID | None = None) -> list[Cohort]:
    """Every cohort, or only those a company has participants or pairs in; newest intake first."""
    rows = await conn.fetch(
        """SELECT cohort_id, name, intake_opens_on, intake_closes_on FROM cohorts c
           WHERE $1::uuid IS NULL
              OR EXISTS (SELECT 1 FROM participants p WHERE p.cohort_id = c.cohort_id AND p.company_id = $1)
              OR EXISTS (SELECT 1 FROM pairs p WHERE p.cohort_id = c.cohort_id AND p.matched_at IS NOT NULL
                         AND $1 IN (p.mentee_company_id, p.mentor_company_id))
           ORDER BY intake_opens_on DESC NULLS LAST, name, cohort_id""",
        company_id,
    )
    return [Cohort(r["cohort_id"], r["name"], r["intake_opens_on"], r["intake_closes_on"]) for r in rows]


async def load_cohort(conn: asyncpg.Connection, cohort_id: UUID, timezone: str) -> CohortData | None:
    """What the figures are computed from: matched pairs, sessions held and not retracted."""
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
        cohort=Cohort(cohort_id, cohort["name"], cohort["intake_opens_on"], cohort["intake_closes_on"]),
        companies={r["company_id"]: _company(r) for r in companies},
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


def _company(row: asyncpg.Record) -> Company:
    return Company(row["company_id"], row["name"], row["hr_contact_name"], row["hr_contact_email"])


# ---- rebuild


async def clear_for_rebuild(conn: asyncpg.Connection) -> None:
    """Empty the projections and the processed-event record inside the caller's transaction.

    EXCLUSIVE on processed_events makes a live consumer wait at its first insert until the rebuild
    commits, while dashboards keep reading the old rows; DELETE (not TRUNCATE) keeps readers unblocked.
    """
    await conn.execute("LOCK TABLE processed_events IN EXCLUSIVE MODE")
    for table in (*PROJECTION_TABLES, "processed_events"):
        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
