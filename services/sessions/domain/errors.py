"""Why sessions refuses a request; messages name fields and rules, never the values sent."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Problem:
    """One bad field: where it is, why it is refused, and a stable code for clients."""

    field: str
    why: str
    code: str


class Refused(Exception):
    """The request breaks a rule (422); nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.why}" for p in problems))
        self.problems = problems


class Conflict(Exception):
    """The request clashes with what sessions holds (409); retry_after_s is set when waiting helps."""

    def __init__(
        self, code: str, why: str, *, retry_after_s: int | None = None, session_id: UUID | None = None
    ) -> None:
        super().__init__(why)
        self.code = code
        self.why = why
        self.retry_after_s = retry_after_s
        self.session_id = session_id


class NotFound(Exception):
    """Unknown, or not yours to see: the two are deliberately indistinguishable (404)."""


class Forbidden(Exception):
    """Known to the caller, but the operation is not theirs to make (403)."""
