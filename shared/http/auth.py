"""Credentials every service checks the same way: the staff token and hashed API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from shared.errors import Unauthorized


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def hash_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough to store and compare them."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def is_staff(request: Request) -> bool:
    token = bearer_token(request)
    expected: str = request.app.state.runtime.settings.admin_token
    return token is not None and hmac.compare_digest(token.encode(), expected.encode())


def require_staff(request: Request) -> None:
    """FastAPI dependency: programme staff only (the admin bearer token)."""
    if not is_staff(request):
        raise Unauthorized("staff credentials required")
