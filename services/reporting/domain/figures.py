"""The programme's figures as pure functions of a cohort's data and the day they are computed for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID

from services.reporting.domain.model import (
    FORMATS,
    ROLES,
    TOOLS,
    CohortData,
    Pair,
    Participant,
    Role,
    Session,
)

RiskReason = Literal["no_first_session", "no_recent_session"]
RISK_REASONS: tuple[RiskReason, ...] = ("no_first_session", "no_recent_session")


@dataclass(frozen=True)
class Thresholds:
    """Days without a session after which a pair needs a call."""

    first_session_days: int = 21
    quiet_days: int = 42


@dataclass(frozen=True)
class RoleCounts:
    mentors: int = 0
    mentees: int = 0
    withdrawn: int = 0

    @property
    def active(self) -> int:
        return self.mentors + self.mentees


@dataclass(frozen=True)
class Matching:
    role: Role
    active: int
    matched: int

    @property
    def unmatched(self) -> int:
        return self.active - self.matched


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    pairs: int
    sessions: int
    minutes: int


@dataclass(frozen=True)
class AtRisk:
    pair: Pair
    reason: RiskReason
    sessions: int
    last_session_on: date | None
    days_without_session: int


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def role_counts(participants: Iterable[Participant]) -> RoleCounts:
    """Active participants by role; withdrawn ones counted apart, whatever their role."""
    mentors = mentees = withdrawn = 0
    for p in participants:
        if p.withdrawn:
            withdrawn += 1
        elif p.role == "mentor":
            mentors += 1
        else:
            mentees += 1
    return RoleCounts(mentors=mentors, mentees=mentees, withdrawn=withdrawn)


def by_company(participants: Iterable[Participant]) -> dict[UUID, RoleCounts]:
    grouped: dict[UUID, list[Participant]] = {}
    for p in participants:
        grouped.setdefault(p.company_id, []).append(p)
    return {company_id: role_counts(group) for company_id, group in grouped.items()}


def matching(participants: Iterable[Participant], pairs: Iterable[Pair]) -> list[Matching]:
    """Per role: active participants, and how many of them are in a pair that has not ended."""
    in_active_pair = {pid for p in pairs if p.active for pid in (p.mentee_id, p.mentor_id)}
    active = [p for p in participants if not p.withdrawn]
    return [
        Matching(
            role=role,
            active=sum(1 for p in active if p.role == role),
            matched=sum(1 for p in active if p.role == role and p.participant_id in in_active_pair),
        )
        for role in ROLES
    ]


def sessions_by_pair(sessions: Iterable[Session]) -> dict[UUID, list[Session]]:
    grouped: dict[UUID, list[Session]] = {}
    for s in sessions:
        grouped.setdefault(s.pair_id, []).append(s)
    return grouped


def counted_sessions(data: CohortData) -> list[Session]:
    """Sessions of the cohort's known pairs: a session whose pair has not arrived yet waits."""
    pair_ids = {p.pair_id for p in data.pairs}
    return [s for s in data.sessions if s.pair_id in pair_ids]


def minutes(sessions: Iterable[Session]) -> int:
    return sum(s.duration_minutes for s in sessions)


def tool_mix(sessions: Sequence[Session]) -> dict[str, int]:
    """Sessions that used each tool (a session may use several)."""
    used = Counter(tool for s in sessions for tool in set(s.tools))
    return {tool: used.get(tool, 0) for tool in TOOLS}


def format_mix(sessions: Sequence[Session]) -> dict[str, int]:
    held = Counter(s.format for s in sessions)
    return {fmt: held.get(fmt, 0) for fmt in FORMATS}


def _month_key(day: date) -> tuple[int, int]:
    return (day.year, day.month)


def _month_span(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def months(pairs: Sequence[Pair], sessions: Sequence[Session], today: date) -> list[Month]:
    """From the first match to today (or to the last activity once every pair has ended), per month:
    pairs active at some point in the month, sessions held in it and their minutes."""
    if not pairs:
        return []
    first = _month_key(min(p.matched_on for p in pairs))
    ends = [s.held_on for s in sessions] + [p.matched_on for p in pairs]
    if any(p.active for p in pairs):
        ends.append(today)
    else:
        ends += [p.ended_on for p in pairs if p.ended_on is not None]
    held = Counter(_month_key(s.held_on) for s in sessions)
    spent: Counter[tuple[int, int]] = Counter()
    for s in sessions:
        spent[_month_key(s.held_on)] += s.duration_minutes
    result = []
    for year, month in _month_span(first, _month_key(max(ends))):
        start, end = _month_bounds(year, month)
        active = sum(1 for p in pairs if p.matched_on <= end and (p.ended_on is None or p.ended_on >= start))
        result.append(
            Month(
                month=f"{year:04d}-{month:02d}",
                pairs=active,
                sessions=held[(year, month)],
                minutes=spent[(year, month)],
            )
        )
    return result


def at_risk(
    pairs: Iterable[Pair], sessions: Iterable[Session], today: date, thresholds: Thresholds
) -> list[AtRisk]:
    """Active pairs with no first session more than `first_session_days` after matching, or no
    session for more than `quiet_days`; the longest silence first."""
    held = sessions_by_pair(sessions)
    found = []
    for pair in pairs:
        if not pair.active:
            continue
        own = held.get(pair.pair_id, [])
        if not own:
            days = (today - pair.matched_on).days
            if days > thresholds.first_session_days:
                found.append(AtRisk(pair, "no_first_session", 0, None, days))
            continue
        last = max(s.held_on for s in own)
        days = (today - last).days
        if days > thresholds.quiet_days:
            found.append(AtRisk(pair, "no_recent_session", len(own), last, days))
    return sorted(found, key=lambda r: (-r.days_without_session, str(r.pair.pair_id)))


NO_REASON = "(no reason given)"


def ended_by_reason(pairs: Iterable[Pair]) -> dict[str, int]:
    """Ended pairs counted by the reason given, most frequent first."""
    counted = Counter((p.end_reason or "").strip() or NO_REASON for p in pairs if not p.active)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
