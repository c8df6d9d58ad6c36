"""The dashboard's sessions: a random value in the browser's cookie, its hash and who it stands for
here, until it expires or the viewer signs out. A one-time code, asked for with a credential, opens one
from a link (no secret in any address). Each use checks the credential is still good: a revoked key or
a changed admin token ends its sessions."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import structlog

from services.reporting.service_layer.access import Viewer, identify
from services.reporting.store import companies, sign_ins
from shared.keys import hash_key

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Opened:
    value: str  # the browser's (or the link's) only copy
    viewer: Viewer
    expires_at: datetime


async def _open(
    conn: asyncpg.Connection, kind: sign_ins.Kind, credential_hash: str, viewer: Viewer, lasts: timedelta
) -> Opened:
    value = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + lasts
    await sign_ins.delete_expired(conn)
    await sign_ins.insert(conn, hash_key(value), kind, credential_hash, viewer.company_id, expires_at)
    return Opened(value, viewer, expires_at)


async def _still_good(
    conn: asyncpg.Connection, admin_token: str, credential_hash: str, company_id: UUID | None
) -> Viewer | None:
    if company_id is None:
        return Viewer() if hmac.compare_digest(credential_hash, hash_key(admin_token)) else None
    live = await companies.company_for_key(conn, credential_hash)
    return Viewer(company_id) if live == company_id else None


async def open_session(pool: asyncpg.Pool, admin_token: str, token: str, lasts: timedelta) -> Opened | None:
    """The sign-in form: a session for a good credential, None for a wrong, unknown or revoked one."""
    viewer = await identify(pool, admin_token, token)
    log.info(
        "dashboard sign-in", accepted=viewer is not None, company_id=viewer.company_id if viewer else None
    )
    if viewer is None:
        return None
    async with pool.acquire() as conn:
        return await _open(conn, "session", hash_key(token), viewer, lasts)


async def issue_code(
    pool: asyncpg.Pool, admin_token: str, token: str | None, lasts: timedelta
) -> Opened | None:
    """A one-time sign-in code for whoever `token` stands for (None when it stands for no one)."""
    viewer = await identify(pool, admin_token, token)
    if viewer is None or token is None:
        return None
    async with pool.acquire() as conn:
        opened = await _open(conn, "code", hash_key(token), viewer, lasts)
    log.info("dashboard sign-in code issued", company_id=viewer.company_id)
    return opened


async def redeem_code(pool: asyncpg.Pool, admin_token: str, code: str, lasts: timedelta) -> Opened | None:
    """A session for a live, unused code (used up now); None for anything else."""
    async with pool.acquire() as conn, conn.transaction():
        row = await sign_ins.take_code(conn, hash_key(code)) if 0 < len(code) <= 100 else None
        viewer = row and await _still_good(conn, admin_token, row["credential_hash"], row["company_id"])
        log.info("dashboard sign-in by code", accepted=bool(viewer))
        if not row or not viewer:
            return None
        return await _open(conn, "session", row["credential_hash"], viewer, lasts)


async def viewer_of(pool: asyncpg.Pool, admin_token: str, value: str | None) -> Viewer | None:
    """Who a session cookie stands for, while it is live and its credential good."""
    if not value or len(value) > 100:
        return None
    async with pool.acquire() as conn:
        row = await sign_ins.live_session(conn, hash_key(value))
        if row is None:
            return None
        return await _still_good(conn, admin_token, row["credential_hash"], row["company_id"])


async def close_session(pool: asyncpg.Pool, value: str | None) -> None:
    """Sign-out: the session is forgotten here, whatever the browser keeps."""
    ended = False
    if value and len(value) <= 100:
        async with pool.acquire() as conn:
            ended = await sign_ins.delete(conn, hash_key(value))
    log.info("dashboard sign-out", known=ended)
