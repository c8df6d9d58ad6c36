"""Sessions and their versions. Notes are read only by store.notes (and compared by first_version_at)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from services.sessions.domain.decisions import FirstVersion
from services.sessions.domain.model import Session, SessionDetails, Version, VersionKind

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
