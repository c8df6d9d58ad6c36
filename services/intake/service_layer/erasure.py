"""Staff erase people: intake's own rows scrubbed and ParticipantErased written in one transaction,
then each person's key destroyed in the vault (another database), retried until the vault confirms.

Why in that order: the erasure is decided once intake commits (its rows scrubbed, the event in the
outbox, the key listed in `erasures_pending` in the same transaction). Destroying the key first could
leave a person whose key is gone while intake and the other services still hold their name. A vault
that fails after the commit leaves the erasure pending, not half-done: the answer says so and
`destroy_pending_keys` (run periodically and right after every erasure) finishes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from services.intake.domain import erasure as domain
from services.intake.domain.errors import participant_not_found
from services.intake.service_layer.clock import now
from services.intake.store import erasures as store
from shared.messaging import outbox
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


async def erase_one(pool: asyncpg.Pool, vault: Vault, participant_id: UUID) -> dict[str, Any]:
    report = await erase_many(pool, vault, [participant_id])
    if report["not_found"]:
        raise participant_not_found(participant_id)
    return {"participant_id": str(participant_id), "status": "erased", "keys": report["keys"]}


async def erase_many(pool: asyncpg.Pool, vault: Vault, participant_ids: Sequence[UUID]) -> dict[str, Any]:
    """Erase everyone named who exists; erasing someone again is not an error and publishes nothing."""
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        people = await store.lock_participants(conn, participant_ids)
        events = domain.erase(people, at)
        fresh = [event.participant_id for event in events]
        await store.scrub(conn, fresh, at)
        await store.mark_pending(conn, fresh)
        await outbox.append(conn, events)
    log.info("participants erased", erased=len(fresh), asked=len(participant_ids))
    pending = await destroy_pending_keys(pool, vault)
    return {
        "erased": len(fresh),
        "already_erased": len(people) - len(fresh),
        "not_found": [str(i) for i in domain.not_found(participant_ids, people)],
        "keys": "pending" if pending else "destroyed",
    }


async def destroy_pending_keys(pool: asyncpg.Pool, vault: Vault) -> int:
    """Destroy the keys of every erasure intake has committed; returns how many are still pending."""
    async with pool.acquire() as conn:
        return await _destroy_pending(conn, vault)


def key_destruction(vault: Vault) -> Callable[[asyncpg.Connection], Awaitable[int]]:
    """Intake's periodic job: finish erasures whose key the vault did not confirm destroyed."""

    async def job(conn: asyncpg.Connection) -> int:
        return await _destroy_pending(conn, vault)

    return job


async def _destroy_pending(conn: asyncpg.Connection, vault: Vault) -> int:
    waiting = await store.pending(conn)
    if not waiting:
        return 0
    try:
        await vault.destroy(waiting)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        log.warning("erasure keys not destroyed yet", pending=len(waiting), error=type(error).__name__)
        return len(waiting)
    await store.keys_destroyed(conn, waiting)
    return 0
