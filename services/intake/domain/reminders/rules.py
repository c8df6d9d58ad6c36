"""Which reminders are due on a day: pure functions of intake's projection of pairs and evaluations.

Each reminder is once per (rule, pair, recipient, period): the period names what it is about, so a
second run on the same or a later day finds the same key and sends nothing new, while a pair that
falls quiet again after a new session gets a new period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

Rule = Literal["pair_at_risk", "evaluation_unanswered", "agreement_missing"]
Recipient = Literal["mentor", "mentee", "staff"]
RULES: tuple[Rule, ...] = ("pair_at_risk", "evaluation_unanswered", "agreement_missing")


@dataclass(frozen=True)
class Thresholds:
    """Days after which a rule fires. The at-risk pair is reporting's definition, with the same
    settings (MENTORNET_AT_RISK_FIRST_SESSION_DAYS, MENTORNET_AT_RISK_QUIET_DAYS) and defaults."""

    first_session_days: int = 21
    quiet_days: int = 42
    evaluation_days: int = 7
    agreement_days: int = 14


@dataclass(frozen=True)
class PairFacts:
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    matched_on: date
    ended_on: date | None = None
    sessions_on: tuple[date, ...] = ()  # held and not retracted
    agreement_on: date | None = None

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def members(self) -> tuple[tuple[Recipient, UUID], ...]:
        return (("mentee", self.mentee_id), ("mentor", self.mentor_id))


@dataclass(frozen=True)
class EvaluationFacts:
    evaluation_id: UUID
    cohort_id: UUID
    kind: str
    opens_on: date
    closes_on: date
    answered_by: frozenset[UUID] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Due:
    rule: Rule
    pair_id: UUID
    recipient: Recipient
    participant_id: UUID | None  # None: the programme staff
    period: str
    facts: dict[str, str | int] = field(default_factory=dict, compare=False, hash=False)


def at_risk(pair: PairFacts, today: date, t: Thresholds) -> tuple[str, dict[str, str | int]] | None:
    """The period and facts of an active pair at risk, as reporting counts it: no first session more
    than `first_session_days` after matching, or no session for more than `quiet_days`."""
    if not pair.active:
        return None
    if not pair.sessions_on:
        days = (today - pair.matched_on).days
        if days > t.first_session_days:
            return "no-first-session", {
                "reason": "no_first_session",
                "since": pair.matched_on.isoformat(),
                "days": days,
            }
        return None
    last = max(pair.sessions_on)
    days = (today - last).days
    if days > t.quiet_days:
        return f"quiet-since-{last.isoformat()}", {
            "reason": "no_recent_session",
            "since": last.isoformat(),
            "days": days,
        }
    return None


def _pair_at_risk(pair: PairFacts, today: date, t: Thresholds) -> list[Due]:
    found = at_risk(pair, today, t)
    if found is None:
        return []
    period, facts = found
    members = [Due("pair_at_risk", pair.pair_id, role, pid, period, facts) for role, pid in pair.members()]
    return [*members, Due("pair_at_risk", pair.pair_id, "staff", None, period, facts)]


def _agreement_missing(pair: PairFacts, today: date, t: Thresholds) -> list[Due]:
    if not pair.active or pair.agreement_on is not None or not pair.sessions_on:
        return []
    first = min(pair.sessions_on)
    days = (today - first).days
    if days < t.agreement_days:
        return []
    facts: dict[str, str | int] = {"since": first.isoformat(), "days": days}
    period = f"first-session-{first.isoformat()}"
    return [Due("agreement_missing", pair.pair_id, role, pid, period, facts) for role, pid in pair.members()]


def _evaluation_unanswered(
    evaluation: EvaluationFacts, pairs: Iterable[PairFacts], today: date, t: Thresholds
) -> list[Due]:
    """Each member of an active pair of the cohort who has not answered `evaluation_days` after it
    opened, while it is open: one mail per member (a mentor of three pairs gets one)."""
    if not evaluation.opens_on <= today <= evaluation.closes_on:
        return []
    if (today - evaluation.opens_on).days < t.evaluation_days:
        return []
    first_pair: dict[UUID, tuple[UUID, Recipient]] = {}
    for pair in sorted(pairs, key=lambda p: str(p.pair_id)):
        if pair.cohort_id != evaluation.cohort_id or not pair.active:
            continue
        for role, pid in pair.members():
            if pid not in evaluation.answered_by:
                first_pair.setdefault(pid, (pair.pair_id, role))
    facts: dict[str, str | int] = {"kind": evaluation.kind, "closes_on": evaluation.closes_on.isoformat()}
    period = f"{evaluation.kind}-evaluation-{evaluation.evaluation_id}"
    return [
        Due("evaluation_unanswered", pair_id, role, pid, period, facts)
        for pid, (pair_id, role) in first_pair.items()
    ]


def due_reminders(
    pairs: Iterable[PairFacts],
    evaluations: Iterable[EvaluationFacts],
    today: date,
    thresholds: Thresholds,
    unreachable: frozenset[UUID] = frozenset(),
) -> list[Due]:
    """Every reminder due today. Members in `unreachable` (opted out, erased, withdrawn) get none;
    the staff note about a pair at risk goes all the same."""
    pairs = list(pairs)
    due: list[Due] = []
    for pair in pairs:
        due += _pair_at_risk(pair, today, thresholds)
        due += _agreement_missing(pair, today, thresholds)
    for evaluation in evaluations:
        due += _evaluation_unanswered(evaluation, pairs, today, thresholds)
    return [d for d in due if d.participant_id is None or d.participant_id not in unreachable]
