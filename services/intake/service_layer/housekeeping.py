"""Intake's periodic housekeeping: the retry records that must not grow without bound.

The rule: an Idempotency-Key protects retries for `idempotency_keep_s` (24 h by default, longer than
any client's retry horizon); after that the same key counts as a new request. An external_ref is the
company's own id for a person, so its claim stays while the participant does and keeps refusing a
second registration; only its stored answer is dropped, and a replay answers from the participant.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import structlog

from services.intake.store import idempotency

log = structlog.get_logger(__name__)


def idempotency_pruning(keep_s: float) -> Callable[[asyncpg.Connection], Awaitable[None]]:
    async def prune(conn: asyncpg.Connection) -> None:
        deleted, dropped = await idempotency.prune(conn, keep_s)
        if deleted or dropped:
            log.info("idempotency records pruned", deleted=deleted, answers_dropped=dropped)

    return prune
