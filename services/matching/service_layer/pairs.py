"""Pairs: list them, and end them (PairEnded); the mentor's place frees and the mentee returns to the pool."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from services.matching.domain import errors
from services.matching.domain.ending import ended_on_refusal
from services.matching.service_layer.cohorts import known_cohort, locked
from services.matching.service_layer.views import pair_view
from services.matching.store import cohorts
from services.matching.store import pairs as store
from shared.events import Event, PairEnded
from shared.messaging import outbox
from shared.privacy import ERASED
from shared.privacy.sealing import seal_nested
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)

WITHDRAWN = "withdrawn"


async def list_pairs(pool: asyncpg.Pool, cohort_id: UUID, active_only: bool = False) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        await known_cohort(conn, cohort_id)
        rows = await store.pairs(conn, cohort_id, active_only=active_only)
    return [pair_view(r) for r in rows]


async def end_pair(
    pool: asyncpg.Pool, vault: Vault, pair_id: UUID, reason: str, do_not_rematch: bool, ended_on: date
) -> dict[str, Any]:
    """End a pair: the mentor's place is free again and the mentee is back in the pool. The reason is
    staff's free text and may name either member: it travels sealed under both their keys."""
    async with pool.acquire() as conn:
        found = await store.pair(conn, pair_id)
    sealed = reason
    if found is not None and reason:
        members = [found["mentee_id"], found["mentor_id"]]
        sealed = await seal_nested(vault, members, reason) or ERASED
        if sealed == ERASED:
            reason = ERASED  # a member was erased already: the reason about them is not kept either
    async with pool.acquire() as conn, conn.transaction():
        row = await locked(conn, store.pair, pair_id, errors.pair_not_found(pair_id))
        if row["ended_on"] is not None:
            raise errors.pair_already_ended(row["ended_on"].isoformat())
        matched_on = row["matched_at"].astimezone(UTC).date()
        if refusal := ended_on_refusal(ended_on, matched_on, datetime.now(UTC).date()):
            raise refusal
        ended = await _end(conn, row, ended_on, reason, do_not_rematch, cause=None, sent_reason=sealed)
    return pair_view(ended)


async def end_pairs_of_withdrawn(
    conn: asyncpg.Connection, participant_id: UUID, ended_on: date, cause: Event
) -> None:
    """A withdrawn participant's active pairs end with reason "withdrawn" (inside the consumer's transaction)."""
    for row in await store.active_pairs_of(conn, participant_id):
        await cohorts.lock_cohort(conn, row["cohort_id"])
        await _end(conn, row, ended_on, WITHDRAWN, False, cause)


async def _end(
    conn: asyncpg.Connection,
    row: asyncpg.Record,
    ended_on: date,
    reason: str,
    do_not_rematch: bool,
    cause: Event | None,
    sent_reason: str | None = None,
) -> asyncpg.Record:
    ended = await store.end_pair(conn, row["pair_id"], ended_on, reason, do_not_rematch)
    envelope = cause.follow_up() if cause is not None else {}
    await outbox.append(
        conn,
        [
            PairEnded(
                pair_id=row["pair_id"],
                cohort_id=row["cohort_id"],
                mentee_id=row["mentee_id"],
                mentor_id=row["mentor_id"],
                ended_on=ended_on,
                reason=reason if sent_reason is None else sent_reason,
                do_not_rematch=do_not_rematch,
                producer="matching",
                **envelope,
            )
        ],
    )
    # never the reason: staff write it as free text
    log.info("pair ended", pair_id=str(row["pair_id"]), do_not_rematch=do_not_rematch)
    return ended
