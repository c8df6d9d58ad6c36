"""What can go wrong in intake, in words a caller can act on; the HTTP layer maps kinds to statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One bad field: where it is (`loc`), why (`msg`), and a stable machine-readable `type`."""

    loc: tuple[str | int, ...]
    msg: str
    type: str


class IntakeError(Exception):
    """Base of the refusals intake gives; `code` is stable for clients, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(IntakeError):
    """The thing does not exist, or belongs to another company (we do not say which)."""


class Conflict(IntakeError):
    """The request is well-formed but clashes with the current state (closed window, duplicate)."""


class Invalid(IntakeError):
    """Fields are wrong; each problem names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(
            "invalid_fields", "; ".join(f"{'.'.join(map(str, p.loc))}: {p.msg}" for p in problems)
        )
        self.problems = tuple(problems)


class TooLarge(IntakeError):
    """The body or the file is beyond the documented limit."""


class UnsupportedFormat(IntakeError):
    """The import is neither CSV nor JSON."""


def problems_in(raw: Sequence[Mapping[str, Any]], prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """pydantic's error dicts as Problems, without its noise: the 'Value error, ' prefix, and a length
    error that only repeats that an item inside was rejected."""
    locs = [tuple(entry["loc"]) for entry in raw]
    problems = []
    for entry, loc in zip(raw, locs, strict=True):
        item_failed = any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
        if entry["type"] == "too_short" and item_failed:
            continue
        message = str(entry["msg"]).removeprefix("Value error, ")
        problems.append(Problem((*prefix, *loc), message, str(entry["type"])))
    return problems


def problems_from(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    return problems_in(error.errors(include_url=False), prefix)
