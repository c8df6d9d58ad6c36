"""What intake refuses, in words a caller can act on: the shared refusal kinds (shared/errors.py), and
the refusals more than one use case gives, so each keeps one code and one wording."""

from __future__ import annotations

from uuid import UUID

from shared.errors import (
    Conflict,
    Invalid,
    NotFound,
    Problem,
    Refusal,
    TooLarge,
    Unauthorized,
    UnsupportedFormat,
    problems_from,
    problems_in,
)

IntakeError = Refusal
"""Any refusal intake gives (the CLI reports each the same way)."""

__all__ = [
    "Conflict",
    "IntakeError",
    "Invalid",
    "NotFound",
    "Problem",
    "TooLarge",
    "Unauthorized",
    "UnsupportedFormat",
    "problems_from",
    "problems_in",
    "cohort_not_found",
    "company_not_found",
    "participant_not_found",
    "duplicate_email",
]


def cohort_not_found(cohort_id: UUID) -> NotFound:
    return NotFound(f"no cohort {cohort_id}", "cohort_not_found")


def company_not_found(company_id: UUID) -> NotFound:
    return NotFound(f"no partner company {company_id}", "company_not_found")


def participant_not_found(participant_id: UUID) -> NotFound:
    """Also for another company's participant: we do not say which."""
    return NotFound(f"no participant {participant_id}", "participant_not_found")


def duplicate_email() -> Conflict:
    return Conflict("this email is already registered in this cohort", "duplicate_email")


def duplicate_email_problem() -> Problem:
    """An import row's email registered before in the cohort."""
    return Problem(("email",), "is already registered in this cohort", "duplicate_email")


def external_ref_conflict_problem(ref: str, participant_id: UUID) -> Problem:
    """An import row's external_ref registered before with other details."""
    return Problem(
        ("external_ref",),
        f"{ref!r} is already registered as participant {participant_id} with other details; change them with PATCH",
        "external_ref_conflict",
    )
