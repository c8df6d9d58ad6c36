"""The rules a session and its pair must satisfy, as pure functions over values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from services.sessions.domain.errors import Forbidden, NotFound, Problem
from services.sessions.domain.model import Pair, Principal, SessionDetails
from shared.events.sessions import LoggedBy


def started_at(held_on: date, start_time: time, zone: ZoneInfo) -> datetime:
    """A local date and time of day as an instant; a time without offset is in the programme's zone."""
    if start_time.tzinfo is not None:
        return datetime.combine(held_on, start_time)
    return datetime.combine(held_on, start_time, tzinfo=zone)


def timing_problems(pair: Pair, details: SessionDetails, now: datetime, zone: ZoneInfo) -> list[Problem]:
    """A session happened in the past, within the pair's life (from matching to its end)."""
    problems: list[Problem] = []
    if details.held_on > now.astimezone(zone).date():
        problems.append(Problem("held_on", "is in the future", "in_future"))
    elif details.started_at > now:
        problems.append(Problem("start_time", "is in the future", "in_future"))
    if pair.ended_on is not None and details.held_on > pair.ended_on:
        problems.append(
            Problem(
                "held_on", f"is after the pair ended (on {pair.ended_on.isoformat()})", "after_pair_ended"
            )
        )
    if pair.matched_on is not None and details.held_on < pair.matched_on:
        problems.append(
            Problem(
                "held_on",
                f"is before the pair was matched (on {pair.matched_on.isoformat()})",
                "before_pair_matched",
            )
        )
    return problems


def notes_problems(by: LoggedBy, notes: str | None) -> list[Problem]:
    """Only the pair's members write notes; checks here must never quote the notes themselves."""
    if notes is None:
        return []
    if by == "staff":
        return [Problem("notes", "only the pair's mentor and mentee write private notes", "staff_notes")]
    if "\x00" in notes:
        return [Problem("notes", "must not contain NUL characters", "nul_character")]
    try:
        notes.encode("utf-8")
    except UnicodeEncodeError:
        return [Problem("notes", "is not valid Unicode text (a lone surrogate)", "invalid_text")]
    return []


def check_pair_access(principal: Principal | None, pair_id: UUID) -> LoggedBy:
    """Staff and the pair's own members reach a pair; to anyone else it does not exist."""
    if principal is None:
        raise NotFound
    if principal.is_staff:
        return "staff"
    if principal.pair_id != pair_id:
        raise NotFound
    return principal.kind


def require_staff_role(role: LoggedBy) -> None:
    """For staff-only operations on a pair the caller can already see."""
    if role != "staff":
        raise Forbidden("programme staff only")


UnknownPairVerdict = Literal["retry_later", "unknown"]


def unknown_pair_verdict(first_seen_at: datetime, now: datetime, grace: timedelta) -> UnknownPairVerdict:
    """A pair id staff use before its PairMatched arrived is plausibly in flight, for a while."""
    return "retry_later" if now - first_seen_at < grace else "unknown"
