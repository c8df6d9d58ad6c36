"""What the web app refuses or cannot do, as the shared refusal kinds (shared/errors.py)."""

from __future__ import annotations

from typing import Any

from shared.errors import Conflict, Forbidden, Invalid, NotFound, Problem, Refusal, Unauthorized

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "Problem",
    "Refusal",
    "SignInLocked",
    "Unauthorized",
    "Unavailable",
]


class Unavailable(Refusal):
    """A service the page needs did not answer (or answered with an error of its own)."""

    status = 503
    default_code = "service_unavailable"

    def __init__(self, message: str = "a service did not answer", **kwargs: Any) -> None:
        kwargs.setdefault("retry_after_s", 5)
        super().__init__(message, **kwargs)


class SignInLocked(Refusal):
    """Too many failed sign-ins from this client: try again later."""

    status = 429
    default_code = "sign_in_locked"
