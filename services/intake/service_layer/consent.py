"""Consent texts: staff publish versions (Danish and English); everyone reads them; a registration gets
the version in force unless it names the one the person agreed to. Withdrawing consent erases the person
(the one erasure use case); only the fact of the withdrawal is kept, by id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import asyncpg
import structlog

from services.intake.domain import consent as domain
from services.intake.domain.consent import NewConsentText
from services.intake.domain.errors import Conflict, NotFound, participant_not_found
from services.intake.domain.registration import Registration
from services.intake.service_layer import erasure
from services.intake.service_layer.clock import now, today
from services.intake.store import consent as store
from services.intake.store import participants
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


def _view(row: dict[str, Any], current: str | None) -> dict[str, Any]:
    return {**{k: v for k, v in row.items() if k != "created_at"}, "in_force": row["version"] == current}


async def publish_text(pool: asyncpg.Pool, text: NewConsentText, timezone: str) -> dict[str, Any]:
    published_on = text.published_on or today(timezone)
    async with pool.acquire() as conn, conn.transaction():
        if not await store.insert_text(conn, text, published_on):
            raise Conflict(f"consent text version {text.version!r} exists already", "consent_version_exists")
        found = await store.text(conn, text.version)
        current = domain.in_force(await store.published(conn), today(timezone))
    log.info("consent text published", version=text.version, published_on=published_on.isoformat())
    assert found is not None
    return _view(found, current)


async def list_texts(pool: asyncpg.Pool, timezone: str) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        rows = await store.texts(conn)
    current = domain.in_force(
        [domain.PublishedText(r["version"], r["published_on"]) for r in rows], today(timezone)
    )
    return [_view(r, current) for r in rows]


async def get_text(pool: asyncpg.Pool, version: str, timezone: str) -> dict[str, Any]:
    async with pool.acquire() as conn:
        found = await store.text(conn, version)
        current = domain.in_force(await store.published(conn), today(timezone))
    if found is None:
        raise NotFound(f"no consent text version {version!r}", "consent_text_not_found")
    return _view(found, current)


@dataclass(frozen=True)
class Versions:
    """What a registration is checked against: today's version and every known one."""

    current: str | None
    known: set[str]

    def apply(self, registration: Registration) -> Registration:
        return domain.with_version(registration, self.current, self.known)


async def versions(conn: asyncpg.Connection, timezone: str) -> Versions:
    published = await store.published(conn)
    return Versions(domain.in_force(published, today(timezone)), {p.version for p in published})


Withdrawer = Literal["staff", "company", "self"]


async def withdraw_consent(
    pool: asyncpg.Pool, vault: Vault, participant_id: UUID, by: Withdrawer, company_id: UUID | None
) -> dict[str, Any]:
    """The person no longer consents: the withdrawal is recorded and they are erased everywhere. A
    company may withdraw only its own people's consent (another's: 404)."""
    at = now()
    async with pool.acquire() as conn:
        if (
            company_id is not None
            and await participants.get_participant(conn, company_id, participant_id) is None
        ):
            raise participant_not_found(participant_id)
    erased = await erasure.erase_one(pool, vault, participant_id)  # 404 for no such participant
    async with pool.acquire() as conn:
        await store.record_withdrawal(conn, participant_id, at, by)
        recorded = await store.withdrawal(conn, participant_id)
    assert recorded is not None
    log.info("consent withdrawn", participant_id=str(participant_id), by=by)
    return {**recorded, "status": erased["status"], "keys": erased["keys"]}
