"""A pair's agreement: recorded by a member at or after the first session, confirmed by both members."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from services.sessions.domain.errors import Conflict, Forbidden, Problem
from services.sessions.domain.model import MemberRole
from shared.events.sessions import AgreementFrequency, AgreementRecorded, LoggedBy

TERMS_MAX_CHARS = 4000


@dataclass(frozen=True)
class Agreement:
    pair_id: UUID
    cohort_id: UUID
    frequency: AgreementFrequency
    terms: str
    recorded_on: date
    recorded_by: MemberRole
    mentor_confirmed_on: date | None = None
    mentee_confirmed_on: date | None = None
    version: int = 1

    def confirmed_by(self, role: MemberRole) -> bool:
        return (self.mentor_confirmed_on if role == "mentor" else self.mentee_confirmed_on) is not None

    @property
    def confirmed_by_both(self) -> bool:
        return self.confirmed_by("mentor") and self.confirmed_by("mentee")

    def event(self, **envelope: object) -> AgreementRecorded:
        """Everything but the terms, which are the pair's own words."""
        return AgreementRecorded(
            pair_id=self.pair_id,
            cohort_id=self.cohort_id,
            frequency=self.frequency,
            recorded_on=self.recorded_on,
            recorded_by=self.recorded_by,
            confirmed_by_mentor=self.confirmed_by("mentor"),
            confirmed_by_mentee=self.confirmed_by("mentee"),
            mentor_confirmed_on=self.mentor_confirmed_on,
            mentee_confirmed_on=self.mentee_confirmed_on,
            version=self.version,
            producer="sessions",
            **envelope,
        )


def member_only(by: LoggedBy) -> MemberRole:
    if by == "staff":
        raise Forbidden("the agreement is the pair's own: only its mentor and mentee record and confirm it")
    return by


def terms_problems(terms: str) -> list[Problem]:
    """Checks that never quote the terms."""
    if len(terms) > TERMS_MAX_CHARS:
        return [Problem("terms", f"is longer than {TERMS_MAX_CHARS} characters", "too_long")]
    if "\x00" in terms:
        return [Problem("terms", "must not contain NUL characters", "nul_character")]
    return []


def decide_record(
    current: Agreement | None,
    wanted: Agreement,
    sessions_held: int,
    confirm: bool,
) -> Agreement | None:
    """The agreement after a member records (or changes) it; None when nothing changes.

    It is recorded at or after the pair's first session. Changed frequency or terms need both members'
    confirmation again; the recording member confirms at once when they tick confidentiality.
    """
    if sessions_held == 0:
        raise Conflict(
            "no_first_session", "the agreement is recorded at or after the pair's first session: log it first"
        )
    role, today = wanted.recorded_by, wanted.recorded_on
    if current is not None and (current.frequency, current.terms) == (wanted.frequency, wanted.terms):
        return confirm_by(current, role, today) if confirm else None
    version = current.version + 1 if current is not None else 1
    stated = replace(wanted, mentor_confirmed_on=None, mentee_confirmed_on=None, version=version)
    return replace(stated, **{_CONFIRMED[role]: today}) if confirm else stated  # type: ignore[arg-type]


_CONFIRMED: dict[MemberRole, str] = {"mentor": "mentor_confirmed_on", "mentee": "mentee_confirmed_on"}


def confirm_by(agreement: Agreement, role: MemberRole, today: date) -> Agreement | None:
    """The member confirms the agreement and its confidentiality; None when they had already."""
    if agreement.confirmed_by(role):
        return None
    return replace(agreement, version=agreement.version + 1, **{_CONFIRMED[role]: today})  # type: ignore[arg-type]
