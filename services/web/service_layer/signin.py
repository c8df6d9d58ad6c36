"""Signing in and out: a server-side session per sign-in, throttled per client address."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.web.domain.errors import SignInLocked
from services.web.domain.identity import Role, Visitor, role_of_secret
from services.web.service_layer.context import Web
from services.web.store import intake, signins
from shared.errors import invalid

MAX_SECRET = 512


@dataclass(frozen=True)
class NewSession:
    cookie_value: str  # the browser's only copy; the table keeps its hash
    visitor: Visitor


def _hash(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def sign_in_form() -> None:
    """The sign-in page asks for nothing but the secret: nothing to load."""


async def sign_in(web: Web, secret: str, client: str) -> NewSession:
    """Staff (the admin token) or a partner company (one of its API keys), checked against intake."""
    now = datetime.now(UTC)
    async with web.pool.acquire() as conn:
        await signins.forget_old_failures(conn, now - web.lockout.remembered)
        until = web.lockout.locked_until(
            await signins.failures_since(conn, client, now - web.lockout.remembered), now
        )
    if until is not None:
        raise SignInLocked(
            "too many failed sign-ins", retry_after_s=max(1, int((until - now).total_seconds()))
        )
    secret = secret.strip()
    if not secret:
        raise invalid(("body", "secret"), "enter your staff token or company API key", "secret_missing")
    role: Role = role_of_secret(secret)
    works = len(secret) <= MAX_SECRET and await _works(web, role, secret)
    if not works:
        async with web.pool.acquire() as conn:
            await signins.record_failure(conn, client, now)
        raise invalid(
            ("body", "secret"), "that token or key is not valid (or it was revoked)", "secret_wrong"
        )
    cookie_value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    visitor = Visitor(role, secret, csrf, now + web.session_length)
    async with web.pool.acquire() as conn, conn.transaction():
        await signins.delete_expired(conn)
        await signins.forget_failures(conn, client)
        await signins.insert_session(
            conn, _hash(cookie_value), role, secret, csrf, visitor.expires_at, None, None
        )
    return NewSession(cookie_value, visitor)


async def _works(web: Web, role: Role, secret: str) -> bool:
    if role == "company":
        return await intake.company_key_works(web.apis.intake, secret)
    return await intake.staff_token_works(web.apis.intake, secret)


async def signed_in(web: Web, cookie_value: str | None) -> Visitor | None:
    if not cookie_value or len(cookie_value) > 100:
        return None
    async with web.pool.acquire() as conn:
        row = await signins.live_session(conn, _hash(cookie_value))
    if row is None:
        return None
    company_id: UUID | None = row["company_id"]
    return Visitor(
        row["role"], row["credential"], row["csrf_token"], row["expires_at"], company_id, row["company_name"]
    )


async def sign_out(web: Web, cookie_value: str | None) -> None:
    """Delete the session; signing out twice (or without a session) is harmless."""
    if cookie_value:
        async with web.pool.acquire() as conn:
            await signins.delete_session(conn, _hash(cookie_value))


async def credential_refused(web: Web, visitor: Visitor) -> None:
    """An API refused the session's credential (a revoked key): every session with it ends."""
    async with web.pool.acquire() as conn:
        await signins.delete_sessions_with(conn, visitor.credential)


async def keep_once(web: Web, cookie_value: str | None, shown: dict[str, Any]) -> None:
    """Keep what the next page shows once (a new key, new links) in the visitor's session."""
    if cookie_value:
        async with web.pool.acquire() as conn:
            await signins.set_flash(conn, _hash(cookie_value), shown)


async def take_once(web: Web, cookie_value: str | None) -> dict[str, Any]:
    """What was kept to be shown once; empty the second time."""
    if not cookie_value:
        return {}
    async with web.pool.acquire() as conn:
        found = await signins.take_flash(conn, _hash(cookie_value))
    return found or {}
