"""Why sessions refuses a request, as the shared refusal kinds; messages never quote the values sent."""

from __future__ import annotations

from uuid import UUID

from shared import errors


class Problem(errors.Problem):
    """One bad body field: which field, why it is refused, and a stable code for clients."""

    def __init__(self, field: str, why: str, code: str) -> None:
        super().__init__(("body", field), why, code)

    @property
    def field(self) -> str:
        return str(self.loc[-1])

    @property
    def why(self) -> str:
        return self.msg

    @property
    def code(self) -> str:
        return self.type


class Refused(errors.Invalid):
    """The request breaks a rule (422); nothing was changed."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)


class Conflict(errors.Conflict):
    """The request clashes with what sessions holds (409); retry_after_s is set when waiting helps.

    The answer says whether retrying helps, and names the session a duplicate collides with.
    """

    def __init__(
        self, code: str, why: str, *, retry_after_s: int | None = None, session_id: UUID | None = None
    ) -> None:
        extra: dict[str, object] = {"retryable": retry_after_s is not None}
        if session_id is not None:
            extra["session_id"] = str(session_id)
        super().__init__(why, code, retry_after_s=retry_after_s, extra=extra)
        self.session_id = session_id


class NotFound(errors.NotFound):
    """Unknown, or not yours to see: the two are deliberately indistinguishable (404)."""


class Forbidden(errors.Forbidden):
    """Known to the caller, but the operation is not theirs to make (403)."""
