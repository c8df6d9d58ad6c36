"""SQL for participants: the latest profile statement wins, the earliest withdrawal is kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from services.reporting.store.upsert import upsert
from shared.privacy import ERASED


class ProfileRow(NamedTuple):
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: str
    display_name: str
    profile_at: datetime
    profile_rank: int  # 0 registered, 1 updated
    profile_event: UUID


class WithdrawalRow(NamedTuple):
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: str
    withdrawn_at: datetime
    withdrawn_event: UUID


PROFILE = upsert("participants", ProfileRow, ("profile_at", "profile_rank", "profile_event"), "latest")
WITHDRAW = upsert(
    "participants", WithdrawalRow, ("withdrawn_at", "withdrawn_event"), "earliest", update=("withdrawn_at", "withdrawn_event")
)  # fmt: skip


async def record_profiles(conn: asyncpg.Connection, rows: Sequence[ProfileRow]) -> None:
    """Registrations and profile updates: the latest statement wins, whatever order they come in."""
    await conn.executemany(PROFILE, rows)


async def withdraw(conn: asyncpg.Connection, rows: Sequence[WithdrawalRow]) -> None:
    """Withdrawal is final; if it comes before the registration, the row starts from what it says."""
    await conn.executemany(WITHDRAW, rows)


async def erase(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "UPDATE participants SET display_name = $2 WHERE participant_id = ANY($1::uuid[])",
        list(participant_ids),
        ERASED,
    )
