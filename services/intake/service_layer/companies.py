"""Staff set up partner companies and their API keys; companies prove who they are with a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.intake.domain.company import KEY_PREFIX, NewApiKey, NewCompany
from services.intake.domain.errors import Conflict, NotFound, company_not_found
from services.intake.service_layer.clock import now
from services.intake.store import companies as store
from shared.events import CompanyApiKeyIssued, CompanyApiKeyRevoked, CompanyRegistered
from shared.keys import hash_key, new_key
from shared.messaging import outbox

log = structlog.get_logger(__name__)

LAST_USED_PRECISION = timedelta(minutes=1)  # refresh last_used_at at most this often: reads stay reads


@dataclass(frozen=True)
class CompanyCaller:
    """Who is calling: the company comes from its key and nowhere else."""

    company_id: UUID
    key_id: UUID


async def create_company(pool: asyncpg.Pool, company: NewCompany) -> dict[str, Any]:
    company_id, at = uuid4(), now()
    async with pool.acquire() as conn, conn.transaction():
        row = await store.insert_company(conn, company_id, company, at)
        if row is None:
            raise Conflict(f"a partner company named {company.name!r} exists already", "company_exists")
        event = CompanyRegistered(
            company_id=company_id,
            name=company.name,
            hr_contact_name=company.hr_contact_name,
            hr_contact_email=company.hr_contact_email,
            occurred_at=at,
            producer="intake",
        )
        await outbox.append(conn, [event])
    log.info("company registered", company_id=str(company_id))
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
