"""Building a session's metadata from what a caller sends, in one canonical form."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from services.sessions.domain.model import TOOLS, SessionDetails
from services.sessions.domain.rules import started_at
from shared.events.sessions import SessionFormat, Tool


def session_details(
    *,
    held_on: date,
    start_time: time,
    duration_minutes: int,
    format: SessionFormat,
    tools: list[Tool] | tuple[Tool, ...],
    rating: int | None,
    zone: ZoneInfo,
) -> SessionDetails:
    """Tools are a set: sent in any order or twice, they are stored once, in the toolbox's order."""
    chosen = set(tools)
    return SessionDetails(
        held_on=held_on,
        started_at=started_at(held_on, start_time, zone),
        duration_minutes=duration_minutes,
        format=format,
        tools=tuple(tool for tool in TOOLS if tool in chosen),
        rating=rating,
    )
