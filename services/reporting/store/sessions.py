"""SQL for sessions: metadata only (never a rating); the latest statement wins, retraction is final."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.reporting.store.upsert import upsert


class SessionRow(NamedTuple):
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    held_on: date
    started_at: datetime
    duration_minutes: int
    format: str
    tools: list[str]
    version_no: int  # the sessions service's number for the statement; 0 when it gave none
    version_at: datetime
    version_rank: int  # 0 held, 1 corrected
    version_event: UUID


class RetractionRow(NamedTuple):
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    retracted_at: datetime
    retracted_event: UUID


RECORD = upsert(
    "sessions", SessionRow, ("version_no", "version_at", "version_rank", "version_event"), "latest"
)
RETRACT = upsert(
    "sessions", RetractionRow, ("retracted_at", "retracted_event"), "earliest", update=("retracted_at", "retracted_event")
)  # fmt: skip


async def record_sessions(conn: asyncpg.Connection, rows: Sequence[SessionRow]) -> None:
    """Sessions held or corrected: the latest statement of the metadata wins, by the sessions
    service's version number when it gives one, else by time."""
    await conn.executemany(RECORD, rows)


async def retract_sessions(conn: asyncpg.Connection, rows: Sequence[RetractionRow]) -> None:
    """Retraction is final: a correction arriving later does not bring the session back."""
    await conn.executemany(RETRACT, rows)
