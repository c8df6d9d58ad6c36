"""Retention: a cohort closed more than the retention period ago may be anonymised in one step (every
participant erased; the cohort, its pairs and its figures stay, counting them as erased)."""

from __future__ import annotations

from datetime import date, timedelta

from services.intake.domain.errors import Conflict


def eligible_on(closed_on: date | None, retention_days: int) -> date | None:
    """The first day the cohort may be anonymised: the retention period after its closing."""
    return None if closed_on is None else closed_on + timedelta(days=retention_days)


def check_may_anonymise(closed_on: date | None, retention_days: int, today: date) -> None:
    """An open cohort is still running; a recently closed one is kept for the retention period."""
    first = eligible_on(closed_on, retention_days)
    if first is None:
        raise Conflict("the cohort is not closed: close it first", "cohort_not_closed")
    if today < first:
        raise Conflict(
            f"the cohort closed on {closed_on}; it is kept {retention_days} days, until {first}",
            "retention_not_reached",
        )
