"""SQL for pairs: the earliest match and the earliest end are kept, whichever arrives first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.reporting.store.upsert import upsert
from shared.privacy import ERASED


class MatchRow(NamedTuple):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    mentee_company_id: UUID
    mentor_company_id: UUID
    matched_at: datetime
    matched_event: UUID


class EndRow(NamedTuple):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    ended_on: date
    end_reason: str
    do_not_rematch: bool
    ended_at: datetime
    ended_event: UUID


MATCH = upsert("pairs", MatchRow, ("matched_at", "matched_event"), "earliest")
END = upsert("pairs", EndRow, ("ended_at", "ended_event"), "earliest", update=EndRow._fields[4:])


async def match_pairs(conn: asyncpg.Connection, rows: Sequence[MatchRow]) -> None:
    await conn.executemany(MATCH, rows)


async def end_pairs(conn: asyncpg.Connection, rows: Sequence[EndRow]) -> None:
    """An end is final; if it comes before the match, the pair waits for its PairMatched to count."""
    await conn.executemany(END, rows)


async def erase_end_reasons(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    """The reason staff wrote when a pair of an erased person ended may name them: it reads as erased."""
    await conn.execute(
        """UPDATE pairs SET end_reason = $2
           WHERE end_reason IS NOT NULL AND (mentee_id = ANY($1::uuid[]) OR mentor_id = ANY($1::uuid[]))""",
        list(participant_ids),
        ERASED,
    )
