"""Staff set up partner companies and their API keys; companies prove who they are with a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.intake.domain import participant as participant_domain
from services.intake.domain.company import (
    KEY_PREFIX,
    CompanyAvoidList,
    ContactChanges,
    NewApiKey,
    NewCompany,
    avoid_list_problems,
)
from services.intake.domain.errors import Conflict, Invalid, NotFound, Problem, company_not_found
from services.intake.service_layer.clock import now
from services.intake.store import companies as store
from services.intake.store import participants as participants_store
from shared.events import CompanyApiKeyIssued, CompanyApiKeyRevoked, CompanyRegistered
from shared.keys import hash_key, new_key
from shared.messaging import outbox
from shared.privacy.sealing import seal_events
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)

LAST_USED_PRECISION = timedelta(minutes=1)  # refresh last_used_at at most this often: reads stay reads


@dataclass(frozen=True)
class CompanyCaller:
    """Who is calling: the company comes from its key and nowhere else."""

    company_id: UUID
    key_id: UUID


async def create_company(pool: asyncpg.Pool, vault: Vault, company: NewCompany) -> dict[str, Any]:
    company_id, at = uuid4(), now()
    async with pool.acquire() as conn, conn.transaction():
        row = await store.insert_company(conn, company_id, company, at)
        if row is None:
            raise Conflict(f"a partner company named {company.name!r} exists already", "company_exists")
        await outbox.append(conn, await seal_events(vault, [_statement(row, at)]))
    log.info("company registered", company_id=str(company_id))
    return dict(row)


def _statement(row: asyncpg.Record, at: datetime) -> CompanyRegistered:
    """What the other services know of a company. Every consumer keeps the newest statement, so a
    changed HR contact goes out as CompanyRegistered again (same id and name, a later occurred_at)."""
    return CompanyRegistered(
        company_id=row["company_id"],
        name=row["name"],
        hr_contact_name=row["hr_contact_name"],
        hr_contact_email=row["hr_contact_email"],
        occurred_at=at,
        producer="intake",
    )


async def change_contact(
    pool: asyncpg.Pool, vault: Vault, company_id: UUID, changes: ContactChanges
) -> dict[str, Any]:
    """A new HR contact; the other services hear of it when something actually changed."""
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        row = await store.get_company(conn, company_id, for_update=True)
        if row is None:
            raise company_not_found(company_id)
        name = changes.hr_contact_name or row["hr_contact_name"]
        email = str(changes.hr_contact_email or row["hr_contact_email"])
        if (name, email) == (row["hr_contact_name"], row["hr_contact_email"]):
            return dict(row)
        row = await store.set_contact(conn, company_id, name, email)
        await outbox.append(conn, await seal_events(vault, [_statement(row, at)]))
    log.info("company contact changed", company_id=str(company_id))
    return dict(row)


async def set_avoid_list(
    pool: asyncpg.Pool, vault: Vault, company_id: UUID, request: CompanyAvoidList
) -> dict[str, Any]:
    """Replace the company's must-not-pair list; every active participant whose published avoid list
    changes with it is published again (ParticipantProfileUpdated), in the same transaction."""
    wanted, at = request.avoid_company_ids, now()
    async with pool.acquire() as conn, conn.transaction():
        row = await store.get_company(conn, company_id, for_update=True)
        if row is None:
            raise company_not_found(company_id)
        known = await store.existing_companies(conn, wanted)
        problems = avoid_list_problems(wanted, company_id, known)
        if problems:
            raise Invalid([Problem(("body", *p.loc), p.msg, p.type) for p in problems])
        before = tuple(row["avoid_company_ids"])
        if before == wanted:
            return dict(row)
        row = await store.set_avoid_list(conn, company_id, wanted)
        people = await participants_store.active_participants_of_company(conn, company_id)
        events = [e for p in people if (e := participant_domain.restate(p, before, wanted, at)) is not None]
        await outbox.append(conn, await seal_events(vault, events))
    log.info(
        "company avoid list set", company_id=str(company_id), companies=len(wanted), republished=len(events)
    )
    return dict(row)


async def list_companies(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(row) for row in await store.list_companies(conn)]


async def get_company(pool: asyncpg.Pool, company_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await store.get_company(conn, company_id)
    if row is None:
        raise company_not_found(company_id)
    return dict(row)


async def issue_key(pool: asyncpg.Pool, company_id: UUID, request: NewApiKey) -> dict[str, Any]:
    """A new key, returned once in clear; only its hash is kept (and published)."""
    key, key_id, at = new_key(KEY_PREFIX), uuid4(), now()
    async with pool.acquire() as conn, conn.transaction():
        if await store.get_company(conn, company_id) is None:
            raise company_not_found(company_id)
        row = await store.insert_key(conn, key_id, company_id, hash_key(key), key[:10], request.label, at)
        event = CompanyApiKeyIssued(
            company_id=company_id, key_id=key_id, key_hash=hash_key(key), occurred_at=at, producer="intake"
        )
        await outbox.append(conn, [event])
    log.info("api key issued", company_id=str(company_id), key_id=str(key_id))
    return {**dict(row), "api_key": key}


async def list_keys(pool: asyncpg.Pool, company_id: UUID) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        if await store.get_company(conn, company_id) is None:
            raise company_not_found(company_id)
        return [dict(row) for row in await store.list_keys(conn, company_id)]


async def revoke_key(pool: asyncpg.Pool, company_id: UUID, key_id: UUID) -> dict[str, Any]:
    """Revoking a revoked key answers the same and publishes nothing more."""
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        row, revoked_now = await store.revoke_key(conn, company_id, key_id, at)
        if row is None:
            raise NotFound(f"company {company_id} has no API key {key_id}", "api_key_not_found")
        if revoked_now:
            event = CompanyApiKeyRevoked(
                company_id=company_id, key_id=key_id, occurred_at=at, producer="intake"
            )
            await outbox.append(conn, [event])
            log.info("api key revoked", company_id=str(company_id), key_id=str(key_id))
    return dict(row)


async def authenticate(pool: asyncpg.Pool, key: str) -> CompanyCaller | None:
    """The company holding this live key, noting when the key was used; None for unknown or revoked."""
    at = now()
    async with pool.acquire() as conn:
        holder = await store.key_holder(conn, hash_key(key))
        if holder is None:
            return None
        if holder["last_used_at"] is None or at - holder["last_used_at"] >= LAST_USED_PRECISION:
            await store.touch_key(conn, holder["key_id"], at)
    return CompanyCaller(holder["company_id"], holder["key_id"])
