"""All of sessions' SQL. Notes are read only by the functions whose names say so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.sessions.domain.decisions import FirstVersion
from services.sessions.domain.model import MemberRole, Pair, Session, SessionDetails, Version, VersionKind

# ---- pairs (the projection of matching's events) -------------------------------------------------


async def record_pair_matched(
    conn: asyncpg.Connection,
    *,
    pair_id: UUID,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    matched_on: date,
) -> None:
    """Upsert: a PairEnded that came first keeps its end date."""
    await conn.execute(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, matched_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pair_id) DO UPDATE SET cohort_id = $2, mentee_id = $3, mentor_id = $4,
               matched_on = $5, updated_at = now()""",
        pair_id,
        cohort_id,
        mentee_id,
        mentor_id,
        matched_on,
    )
    await conn.execute("DELETE FROM unknown_pair_sightings WHERE pair_id = $1", pair_id)


async def record_pair_ended(
    conn: asyncpg.Connection,
    *,
    pair_id: UUID,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    ended_on: date,
) -> None:
    """Upsert: before its PairMatched arrives the pair is known as ended but not matched."""
    await conn.execute(
        """INSERT INTO pairs (pair_id, cohort_id, mentee_id, mentor_id, ended_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pair_id) DO UPDATE SET ended_on = $5, updated_at = now()""",
        pair_id,
        cohort_id,
        mentee_id,
        mentor_id,
        ended_on,
    )


def _pair(row: asyncpg.Record) -> Pair:
    return Pair(row["pair_id"], row["cohort_id"], row["matched_on"], row["ended_on"])


async def pair(conn: asyncpg.Connection, pair_id: UUID, lock: bool = False) -> Pair | None:
    """With lock, the row is held (FOR SHARE) until the transaction ends: its end date cannot change."""
    row = await conn.fetchrow(
        "SELECT pair_id, cohort_id, matched_on, ended_on FROM pairs WHERE pair_id = $1"
        + (" FOR SHARE" if lock else ""),
        pair_id,
    )
    return _pair(row) if row else None


async def pairs(conn: asyncpg.Connection, cohort_id: UUID | None) -> list[dict[str, Any]]:
    """Staff's list: each pair, its members' names, how many live sessions it logged, when it last met."""
    rows = await conn.fetch(
        """SELECT p.pair_id, p.cohort_id, p.mentee_id, p.mentor_id, p.matched_on, p.ended_on,
                  mentee.display_name AS mentee_name, mentor.display_name AS mentor_name,
                  count(s.session_id) AS sessions, max(s.held_on) AS last_held_on
           FROM pairs p
           LEFT JOIN sessions s ON s.pair_id = p.pair_id AND NOT s.retracted
           LEFT JOIN participants mentee ON mentee.participant_id = p.mentee_id
           LEFT JOIN participants mentor ON mentor.participant_id = p.mentor_id
           WHERE $1::uuid IS NULL OR p.cohort_id = $1
           GROUP BY p.pair_id, mentee.display_name, mentor.display_name
           ORDER BY p.matched_on NULLS LAST, p.pair_id""",
        cohort_id,
    )
    return [dict(row) for row in rows]


async def record_participant_named(
    conn: asyncpg.Connection, participant_id: UUID, display_name: str, stated_at: datetime
) -> None:
    """The newest statement of a name wins, whatever order intake's events arrive in."""
    await conn.execute(
        """INSERT INTO participants (participant_id, display_name, stated_at) VALUES ($1, $2, $3)
           ON CONFLICT (participant_id) DO UPDATE SET display_name = $2, stated_at = $3
           WHERE participants.stated_at <= $3""",
        participant_id,
        display_name,
        stated_at,
    )


async def record_participant_withdrawn(
    conn: asyncpg.Connection, participant_id: UUID, stated_at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO participants (participant_id, withdrawn, stated_at) VALUES ($1, true, $2)
           ON CONFLICT (participant_id) DO UPDATE SET withdrawn = true""",
        participant_id,
        stated_at,
    )


async def pair_members(conn: asyncpg.Connection, pair_id: UUID) -> dict[str, UUID]:
    row = await conn.fetchrow("SELECT mentee_id, mentor_id FROM pairs WHERE pair_id = $1", pair_id)
    return {"mentee": row["mentee_id"], "mentor": row["mentor_id"]} if row else {}


async def sight_unknown_pair(conn: asyncpg.Connection, pair_id: UUID) -> datetime:
    """Note that staff used this pair id; returns when it was first used."""
    first_seen: datetime = await conn.fetchval(
        """INSERT INTO unknown_pair_sightings (pair_id) VALUES ($1)
           ON CONFLICT (pair_id) DO UPDATE SET last_seen_at = now(),
               attempts = unknown_pair_sightings.attempts + 1
           RETURNING first_seen_at""",
        pair_id,
    )
    return first_seen


# ---- member tokens -------------------------------------------------------------------------------


async def member_of_token(conn: asyncpg.Connection, token_hash: str) -> tuple[UUID, MemberRole] | None:
    row = await conn.fetchrow("SELECT pair_id, role FROM member_tokens WHERE token_hash = $1", token_hash)
    return (row["pair_id"], row["role"]) if row else None


async def issue_token(
    conn: asyncpg.Connection, pair_id: UUID, role: MemberRole, token_hash: str
) -> asyncpg.Record:
    """Store a new token's hash for the member, replacing (so revoking) the one before."""
    return await conn.fetchrow(
        """INSERT INTO member_tokens (pair_id, role, token_hash, generation) VALUES ($1, $2, $3, 1)
           ON CONFLICT (pair_id, role) DO UPDATE SET token_hash = $3, issued_at = now(),
               generation = member_tokens.generation + 1
           RETURNING role, generation, issued_at""",
        pair_id,
        role,
        token_hash,
    )


async def token_status(conn: asyncpg.Connection, pair_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT role, generation, issued_at FROM member_tokens WHERE pair_id = $1 ORDER BY role", pair_id
    )


# ---- sessions ------------------------------------------------------------------------------------

_SESSION_COLUMNS = """session_id, pair_id, cohort_id, held_on, started_at, duration_minutes, format, tools,
    rating, logged_by, version, retracted, first_event_id, last_event_id"""


def _details(row: asyncpg.Record) -> SessionDetails:
    return SessionDetails(
        held_on=row["held_on"],
        started_at=row["started_at"],
        duration_minutes=row["duration_minutes"],
        format=row["format"],
        tools=tuple(row["tools"]),
        rating=row["rating"],
    )


def _session(row: asyncpg.Record) -> Session:
    return Session(
        session_id=row["session_id"],
        pair_id=row["pair_id"],
        cohort_id=row["cohort_id"],
        details=_details(row),
        logged_by=row["logged_by"],
        version=row["version"],
        retracted=row["retracted"],
        first_event_id=row["first_event_id"],
        last_event_id=row["last_event_id"],
    )


async def first_version_at(
    conn: asyncpg.Connection, pair_id: UUID, first_started_at: datetime
) -> FirstVersion | None:
    """The live session first logged with this start, as first logged (with its notes, to compare only)."""
    row = await conn.fetchrow(
        """SELECT v.session_id, v.held_on, v.started_at, v.duration_minutes, v.format, v.tools, v.rating,
                  v.recorded_by, n.notes
           FROM sessions s
           JOIN session_versions v ON v.session_id = s.session_id AND v.version = 1
           LEFT JOIN session_notes n ON n.session_id = s.session_id AND n.version = 1
           WHERE s.pair_id = $1 AND s.first_started_at = $2 AND NOT s.retracted""",
        pair_id,
        first_started_at,
    )
    if row is None:
        return None
    return FirstVersion(row["session_id"], _details(row), row["notes"], row["recorded_by"])


async def live_session_starting(
    conn: asyncpg.Connection, pair_id: UUID, started_at: datetime, other_than: UUID | None = None
) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        """SELECT session_id FROM sessions
           WHERE pair_id = $1 AND started_at = $2 AND NOT retracted AND session_id IS DISTINCT FROM $3""",
        pair_id,
        started_at,
        other_than,
    )
    return found


async def insert_session(conn: asyncpg.Connection, session: Session, first_started_at: datetime) -> bool:
    """False when a concurrent request logged the same pair and start first."""
    d = session.details
    inserted = await conn.fetchval(
        f"""INSERT INTO sessions ({_SESSION_COLUMNS}, first_started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (pair_id, first_started_at) WHERE NOT retracted DO NOTHING RETURNING true""",
        session.session_id,
        session.pair_id,
        session.cohort_id,
        d.held_on,
        d.started_at,
        d.duration_minutes,
        d.format,
        list(d.tools),
        d.rating,
        session.logged_by,
        session.version,
        session.retracted,
        session.first_event_id,
        session.last_event_id,
        first_started_at,
    )
    return bool(inserted)


async def session_for_update(conn: asyncpg.Connection, pair_id: UUID, session_id: UUID) -> Session | None:
    """The session, locked until the transaction ends, so concurrent corrections queue up."""
    row = await conn.fetchrow(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE session_id = $1 AND pair_id = $2 FOR UPDATE",
        session_id,
        pair_id,
    )
    return _session(row) if row else None


async def update_session(conn: asyncpg.Connection, session: Session) -> None:
    d = session.details
    await conn.execute(
        """UPDATE sessions SET held_on = $2, started_at = $3, duration_minutes = $4, format = $5, tools = $6,
               rating = $7, version = $8, retracted = $9, last_event_id = $10
           WHERE session_id = $1""",
        session.session_id,
        d.held_on,
        d.started_at,
        d.duration_minutes,
        d.format,
        list(d.tools),
        d.rating,
        session.version,
        session.retracted,
        session.last_event_id,
    )


async def add_version(
    conn: asyncpg.Connection,
    session: Session,
    *,
    kind: VersionKind,
    recorded_by: str,
    event_id: UUID,
    retraction_reason: str | None = None,
) -> None:
    d = session.details
    await conn.execute(
        """INSERT INTO session_versions (session_id, version, kind, held_on, started_at, duration_minutes,
               format, tools, rating, recorded_by, retraction_reason, event_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
        session.session_id,
        session.version,
        kind,
        d.held_on,
        d.started_at,
        d.duration_minutes,
        d.format,
        list(d.tools),
        d.rating,
        recorded_by,
        retraction_reason,
        event_id,
    )


async def set_notes(conn: asyncpg.Connection, session_id: UUID, version: int, notes: str | None) -> None:
    await conn.execute(
        "INSERT INTO session_notes (session_id, version, notes) VALUES ($1, $2, $3)",
        session_id,
        version,
        notes,
    )


async def sessions_of_pair(conn: asyncpg.Connection, pair_id: UUID, include_retracted: bool) -> list[Session]:
    rows = await conn.fetch(
        f"""SELECT {_SESSION_COLUMNS} FROM sessions WHERE pair_id = $1 AND (NOT retracted OR $2)
            ORDER BY started_at, logged_at, session_id""",
        pair_id,
        include_retracted,
    )
    return [_session(row) for row in rows]


async def session(conn: asyncpg.Connection, pair_id: UUID, session_id: UUID) -> Session | None:
    row = await conn.fetchrow(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE session_id = $1 AND pair_id = $2", session_id, pair_id
    )
    return _session(row) if row else None


async def history(conn: asyncpg.Connection, session_id: UUID) -> list[Version]:
    rows = await conn.fetch(
        """SELECT version, kind, held_on, started_at, duration_minutes, format, tools, rating, recorded_by,
                  recorded_at, retraction_reason
           FROM session_versions WHERE session_id = $1 ORDER BY version""",
        session_id,
    )
    return [
        Version(
            version=row["version"],
            kind=row["kind"],
            details=_details(row),
            recorded_by=row["recorded_by"],
            recorded_at=row["recorded_at"],
            retraction_reason=row["retraction_reason"],
        )
        for row in rows
    ]


async def version_of(conn: asyncpg.Connection, session_id: UUID, version: int) -> Version | None:
    versions = [v for v in await history(conn, session_id) if v.version == version]
    return versions[0] if versions else None


# ---- private notes: for the pair's members only ---------------------------------------------------


async def notes_in_force(conn: asyncpg.Connection, session_ids: Sequence[UUID]) -> dict[UUID, str | None]:
    """Member views only: each session's notes as of its current version."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (n.session_id) n.session_id, n.notes
           FROM session_notes n JOIN sessions s ON s.session_id = n.session_id AND n.version <= s.version
           WHERE n.session_id = ANY($1::uuid[])
           ORDER BY n.session_id, n.version DESC""",
        list(session_ids),
    )
    return {row["session_id"]: row["notes"] for row in rows}


async def notes_history(conn: asyncpg.Connection, session_id: UUID) -> dict[int, str | None]:
    """Member views only: version -> the notes that version set."""
    rows = await conn.fetch(
        "SELECT version, notes FROM session_notes WHERE session_id = $1 ORDER BY version", session_id
    )
    return {row["version"]: row["notes"] for row in rows}
