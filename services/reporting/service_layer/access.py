"""Who is asking: the admin token means programme staff, a live company key means that company."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from services.reporting.domain.errors import company_only, credentials_required, staff_only
from services.reporting.store import companies
from shared.keys import hash_key


@dataclass(frozen=True)
class Viewer:
    """Programme staff (no company) or one partner company."""

    company_id: UUID | None = None

    @property
    def staff(self) -> bool:
        return self.company_id is None


async def identify(pool: asyncpg.Pool, admin_token: str, token: str | None) -> Viewer | None:
    """The viewer a credential stands for; None for none, a wrong one or a revoked key."""
    if not token:
        return None
    if hmac.compare_digest(token.encode(), admin_token.encode()):
        return Viewer()
    async with pool.acquire() as conn:
        company_id = await companies.company_for_key(conn, hash_key(token))
    return Viewer(company_id) if company_id else None


def signed_in(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise credentials_required()
    return viewer


def staff(viewer: Viewer) -> Viewer:
    """Programme staff only: a company key is refused."""
    if not viewer.staff:
        raise staff_only()
    return viewer


def company(viewer: Viewer) -> Viewer:
    """A partner company's key only: staff read the programme view instead."""
    if viewer.staff:
        raise company_only()
    return viewer
