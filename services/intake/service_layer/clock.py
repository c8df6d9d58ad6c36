"""The time, in one place: instants in UTC, intake windows by the programme's calendar day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    return datetime.now(UTC)


def today(timezone: str, instant: datetime | None = None) -> date:
    """The programme's date: a window closing on the 30th is open until midnight there, not in UTC."""
    return (instant or now()).astimezone(ZoneInfo(timezone)).date()
