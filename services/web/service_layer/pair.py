"""A mentor or mentee: their personal link, their pair, and the sessions they log.

The link staff hand on carries the member's token (`/p/<token>`). Opened once, the token is checked
with sessions (`GET /v1/me`), kept server-side in this browser's member session, and the browser is
sent on to `/pair/<pair_id>`: the secret leaves the address bar and the history, the cookie holds only a
random id. One browser can hold several pairs (a mentor with up to three mentees opens three links).
A pair that is not in this browser's session is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from services.web.domain import pair_form
from services.web.domain.errors import Conflict, Invalid, NotFound, Problem, SignInLocked, Unauthorized
from services.web.service_layer.context import Web
from services.web.store import members, signins
from services.web.store import pair as api

SESSION_LENGTH = timedelta(days=90)  # a phone stays signed in to its pair; the link signs in again
MAX_TOKEN = 200


@dataclass(frozen=True)
class MemberPair:
    pair_id: UUID
    role: str
    credential: str


@dataclass(frozen=True)
class Member:
    """A browser opened by one or more personal links."""

    id_hash: str
    csrf_token: str
    pairs: tuple[MemberPair, ...]

    def pair(self, pair_id: UUID) -> MemberPair:
        found = next((p for p in self.pairs if p.pair_id == pair_id), None)
        if found is None:
            raise NotFound("not one of this browser's pairs")
        return found


@dataclass(frozen=True)
class Opened:
    cookie_value: str | None  # a new cookie to set, or None: the browser's session was reused
    pair_id: UUID


def _hash(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


async def member(web: Web, cookie_value: str | None) -> Member | None:
    if not cookie_value or len(cookie_value) > 100:
        return None
    id_hash = _hash(cookie_value)
    async with web.pool.acquire() as conn:
        row = await members.live_session(conn, id_hash)
        if row is None:
            return None
        held = await members.pairs_of(conn, id_hash)
    pairs = tuple(MemberPair(r["pair_id"], r["role"], r["credential"]) for r in held)
    return Member(id_hash, row["csrf_token"], pairs)


async def open_link(web: Web, token: str, cookie_value: str | None, client: str) -> Opened:
    """Check the link's token with sessions and keep it for this browser; a wrong one is a 404.

    Wrong tokens count against the client like wrong sign-ins (the same lockout)."""
    now = datetime.now(UTC)
    async with web.pool.acquire() as conn:
        failures = await signins.failures_since(conn, client, now - web.lockout.remembered)
    until = web.lockout.locked_until(failures, now)
    if until is not None:
        raise SignInLocked("too many wrong links", retry_after_s=max(1, int((until - now).total_seconds())))
    me: dict[str, Any] | None = None
    if 0 < len(token) <= MAX_TOKEN and token.isascii():
        try:
            me = await api.me(web.apis.sessions, token)
        except (Unauthorized, NotFound):
            me = None
    if me is None or me.get("role") not in ("mentor", "mentee") or not me.get("pair_id"):
        async with web.pool.acquire() as conn:
            await signins.record_failure(conn, client, now)
        raise NotFound("no such link")
    pair_id = UUID(str(me["pair_id"]))
    existing = await member(web, cookie_value)
    async with web.pool.acquire() as conn, conn.transaction():
        await members.delete_expired(conn)
        if existing is not None:
            await members.extend_session(conn, existing.id_hash, now + SESSION_LENGTH)
            await members.add_pair(conn, existing.id_hash, pair_id, me["role"], token)
            return Opened(None, pair_id)
        cookie = secrets.token_urlsafe(32)
        await members.insert_session(conn, _hash(cookie), secrets.token_urlsafe(32), now + SESSION_LENGTH)
        await members.add_pair(conn, _hash(cookie), pair_id, me["role"], token)
    return Opened(cookie, pair_id)


async def sign_out(web: Web, visitor: Member | None) -> None:
    if visitor is not None:
        async with web.pool.acquire() as conn:
            await members.delete_session(conn, visitor.id_hash)


async def token_refused(web: Web, held: MemberPair) -> None:
    """sessions no longer knows the token (staff issued a new one): this browser forgets the pair."""
    async with web.pool.acquire() as conn:
        await members.forget_pair(conn, held.credential)


async def overview(web: Web, visitor: Member, pair_id: UUID) -> dict[str, Any]:
    """The pair (both members, their companies, whom to contact) and its sessions, newest first."""
    held = visitor.pair(pair_id)
    try:
        pair = await api.pair(web.apis.sessions, held.credential, pair_id)
    except NotFound:
        await token_refused(web, held)  # staff issued a new link: this one no longer opens the pair
        raise
    sessions = await api.sessions(web.apis.sessions, held.credential, pair_id)
    sessions.sort(key=lambda s: (s["held_on"], s["start_time"]), reverse=True)
    you = next((m for m in pair.get("members", []) if m["role"] == held.role), None)
    other = next((m for m in pair.get("members", []) if m["role"] != held.role), None)
    return {
        "pair": pair,
        "role": held.role,
        "you": you,
        "other": other,
        "sessions": sessions,
        "minutes": sum(int(s["duration_minutes"]) for s in sessions),
    }


def _conflict(conflict: Conflict) -> Invalid:
    field = pair_form.CONFLICT_FIELDS.get(conflict.code or "", "_form")
    return Invalid([Problem(("body", field), conflict.message, conflict.code or "conflict")])


async def log_session(web: Web, visitor: Member, pair_id: UUID, values: dict[str, Any]) -> dict[str, Any]:
    held = visitor.pair(pair_id)
    try:
        return await api.log(web.apis.sessions, held.credential, pair_id, pair_form.session_body(values))
    except Conflict as conflict:
        raise _conflict(conflict) from conflict


async def session(web: Web, visitor: Member, pair_id: UUID, session_id: UUID) -> dict[str, Any]:
    """One of the pair's sessions as it stands (with its notes: the reader is a member)."""
    held = visitor.pair(pair_id)
    found = await api.session(web.apis.sessions, held.credential, pair_id, session_id)
    current: dict[str, Any] = found["session"]
    return current


async def correct(
    web: Web, visitor: Member, pair_id: UUID, session_id: UUID, values: dict[str, Any]
) -> dict[str, Any]:
    held = visitor.pair(pair_id)
    body = pair_form.session_body(values, correction=True)
    try:
        return await api.correct(web.apis.sessions, held.credential, pair_id, session_id, body)
    except Conflict as conflict:
        raise _conflict(conflict) from conflict


async def retract(web: Web, visitor: Member, pair_id: UUID, session_id: UUID, reason: str) -> dict[str, Any]:
    held = visitor.pair(pair_id)
    if reason not in pair_form.RETRACTION_REASONS:
        raise Invalid([Problem(("body", "reason"), "choose a reason", "missing")])
    return await api.retract(web.apis.sessions, held.credential, pair_id, session_id, reason)
