"""The refusals every service gives, in one vocabulary; the HTTP layer maps each kind to a status.

A use case raises one of these with a stable `code` for clients and a message for people. Messages
name fields and rules, never the values sent (they may be private: notes, emails).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One bad field: where it is (`loc`), why (`msg`), and a stable machine-readable `type`."""

    loc: tuple[str | int, ...]
    msg: str
    type: str


class Refusal(Exception):
    """Base of every refusal; `status` is the HTTP status, `code` stays stable for clients.

    `retry_after_s` is set when waiting helps (answered with a Retry-After header); `extra` adds
    fields a client can act on (for example the id of the session a duplicate collides with);
    `headers` go with the answer (a WWW-Authenticate challenge).
    """

    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "refused"

    def __init__(
        self,
        message: str,
        code: str | None = None,
        *,
        retry_after_s: int | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.retry_after_s = retry_after_s
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


class Unauthorized(Refusal):
    """Missing, unknown or revoked credentials."""

    status = 401
    default_code = "unauthorized"

    def __init__(self, message: str = "credentials required", code: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, code, **kwargs)


class Forbidden(Refusal):
    """Known to the caller, but the operation is not theirs to make."""

    status = 403
    default_code = "forbidden"


class NotFound(Refusal):
    """Unknown, or not the caller's to see: the two are deliberately indistinguishable."""

    status = 404
    default_code = "not_found"

    def __init__(self, message: str = "not found", code: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, code, **kwargs)


class Conflict(Refusal):
    """Well-formed, but clashes with the current state (a closed window, a duplicate)."""

    status = 409
    default_code = "conflict"


class TooLarge(Refusal):
    """The body or the file is beyond the documented limit."""

    status = 413
    default_code = "too_large"


class UnsupportedFormat(Refusal):
    """A body in a format the endpoint does not read."""

    status = 415
    default_code = "unsupported_format"


class LockedOut(Refusal):
    """Too many failed credential checks from this client: every request waits out the lockout."""

    status = 429
    default_code = "locked_out"


class Unavailable(Refusal):
    """Something the answer needs (the database) is away or did not answer in time: try again later."""

    status = 503
    default_code = "unavailable"

    def __init__(
        self,
        message: str = "the database is not answering; try again shortly",
        code: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("retry_after_s", 5)
        super().__init__(message, code, **kwargs)


class Invalid(Refusal):
    """Fields are wrong; each problem names its field."""

    status = 422
    default_code = "invalid_fields"

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, p.loc))}: {p.msg}" for p in problems))
        self.problems = tuple(problems)


def invalid(loc: tuple[str | int, ...], msg: str, type_: str) -> Invalid:
    """A refusal of one field."""
    return Invalid([Problem(loc, msg, type_)])


def problems_in(raw: Sequence[Mapping[str, Any]], prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """pydantic's error dicts as Problems, without its noise (the 'Value error, ' prefix, a length error
    that only repeats that an item inside was rejected) and without the values sent (`input`, `ctx`)."""
    locs = [tuple(entry.get("loc", ())) for entry in raw]
    problems = []
    for entry, loc in zip(raw, locs, strict=True):
        item_failed = any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
        if entry.get("type") == "too_short" and item_failed:
            continue
        message = str(entry.get("msg", "")).removeprefix("Value error, ")
        problems.append(Problem((*prefix, *loc), message, str(entry.get("type", ""))))
    return problems


def problems_from(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    return problems_in(error.errors(include_url=False), prefix)
