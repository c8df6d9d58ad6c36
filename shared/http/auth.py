"""Credentials every service checks the same way: the staff token and hashed API keys."""

from __future__ import annotations

import hmac

from fastapi import Request

from shared.errors import Unauthorized
from shared.keys import hash_key, new_key

__all__ = ["bearer_token", "hash_key", "is_staff", "new_key", "require_staff"]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def is_staff(request: Request) -> bool:
    token = bearer_token(request)
    expected: str = request.app.state.runtime.settings.admin_token
    return token is not None and hmac.compare_digest(token.encode(), expected.encode())


def require_staff(request: Request) -> None:
    """FastAPI dependency: programme staff only (the admin bearer token)."""
    if not is_staff(request):
        raise Unauthorized("staff credentials required")
