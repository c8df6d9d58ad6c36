"""Evaluations: staff open a mid-point and a closing one per cohort; each member answers once while open.

What the relation gave, what to improve and a quote are the member's own words: they stay in sessions.
A quote is published only with its author's consent, attributed by role and year alone ("Mentor 2027").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.sessions.domain.errors import Conflict, Problem
from services.sessions.domain.model import MemberRole
from shared.events.sessions import EvaluationKind, EvaluationScores

TEXT_MAX_CHARS = 4000
QUOTE_MAX_CHARS = 600
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Evaluation:
    evaluation_id: UUID
    cohort_id: UUID
    kind: EvaluationKind
    opens_on: date
    closes_on: date

    def state(self, today: date) -> str:
        if today < self.opens_on:
            return "not_open_yet"
        return "closed" if today > self.closes_on else "open"


@dataclass(frozen=True)
class CohortFacts:
    """What sessions knows of a cohort from intake's events."""

    name: str | None
    kickoff_on: date | None
    closed_on: date | None


@dataclass(frozen=True)
class Answer:
    """One member's answer: scores travel in EvaluationSubmitted, the texts never leave sessions."""

    scores: EvaluationScores
    gave: str
    improve: str
    quote: str | None
    quote_consented: bool


def window_problems(opens_on: date, closes_on: date, today: date) -> list[Problem]:
    problems = []
    if closes_on < opens_on:
        problems.append(Problem("closes_on", "must be on or after opens_on", "before_opening"))
    if closes_on < today:
        problems.append(Problem("closes_on", "is in the past", "in_past"))
    return problems


def text_problems(answer: Answer) -> list[Problem]:
    """Checks that never quote what was written."""
    problems = []
    for field, text, limit in (
        ("gave", answer.gave, TEXT_MAX_CHARS),
        ("improve", answer.improve, TEXT_MAX_CHARS),
        ("quote", answer.quote or "", QUOTE_MAX_CHARS),
    ):
        if len(text) > limit:
            problems.append(Problem(field, f"is longer than {limit} characters", "too_long"))
        elif "\x00" in text:
            problems.append(Problem(field, "must not contain NUL characters", "nul_character"))
    if answer.quote_consented and not (answer.quote or "").strip():
        problems.append(
            Problem("quote", "is empty: consent to publish needs a quote", "consent_without_quote")
        )
    return problems


def ensure_can_answer(
    evaluation: Evaluation,
    today: date,
    cohort_closed: bool,
    answered: bool,
    pair_ended_on: date | None = None,
) -> None:
    """Open, not answered yet, in a running cohort, by a pair that had not ended before it opened (those
    are the members reporting counts as able to answer)."""
    if cohort_closed:
        raise Conflict("cohort_closed", "the cohort is closed: evaluations take no more answers")
    if answered:
        raise Conflict(
            "already_answered", "you have answered this evaluation already: each member answers once"
        )
    if pair_ended_on is not None and pair_ended_on < evaluation.opens_on:
        raise Conflict("pair_ended", "the pair ended before this evaluation opened")
    state = evaluation.state(today)
    if state != "open":
        raise Conflict(
            "evaluation_not_open",
            f"the evaluation is open from {evaluation.opens_on.isoformat()} to {evaluation.closes_on.isoformat()}",
        )


def year_of(cohort: CohortFacts, evaluation_closes_on: date) -> int:
    """The programme year a quote is signed with: the year the cohort is named for, else its kick-off's."""
    if cohort.name and (found := _YEAR.search(cohort.name)):
        return int(found.group(0))
    return (cohort.kickoff_on or evaluation_closes_on).year


def attribution(role: MemberRole, year: int) -> str:
    """Role and year only: never a name or a company."""
    return f"{role.capitalize()} {year}"
