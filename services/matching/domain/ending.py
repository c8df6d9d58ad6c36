"""When a pair may be said to have ended: not before the day it was matched, not after today."""

from __future__ import annotations

from datetime import date, timedelta

from shared.errors import Invalid, Problem

MARGIN = timedelta(days=1)
"""Today is read in UTC; a day's margin lets staff ahead of UTC (Copenhagen after midnight) say today."""


def ended_on_refusal(ended_on: date, matched_on: date, today: date) -> Invalid | None:
    """The refusal of an end date outside the pair's life, naming the field; None when it is fine."""
    if ended_on < matched_on:
        why = f"must not be before the day the pair was matched ({matched_on.isoformat()})"
        return Invalid([Problem(("body", "ended_on"), why, "before_pair_matched")])
    if ended_on > today + MARGIN:
        return Invalid([Problem(("body", "ended_on"), "must not be in the future", "in_future")])
    return None
