"""Events published by sessions: metadata of conversations held, never their content.

Private notes never appear here. `version` numbers a session's history (1 = SessionHeld, then one per
correction or retraction), so a consumer can keep the latest on replay; it is optional for old events.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.envelope import Event

SessionFormat = Literal["in_person", "online", "phone"]
Tool = Literal["coaching", "supervision", "instruction", "advice", "sharing_experience"]
LoggedBy = Literal["mentor", "mentee", "staff"]


class SessionFacts(BaseModel):
    """What a logged session says; SessionHeld states it first, SessionCorrected states it anew."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    held_on: date
    started_at: datetime
    duration_minutes: int = Field(ge=10, le=600)
    format: SessionFormat
    tools: tuple[Tool, ...] = ()
    rating: int | None = Field(default=None, ge=1, le=5)
    logged_by: LoggedBy
    """Who logged the session originally; a corrector is `SessionCorrected.corrected_by`."""
    version: int | None = Field(default=None, ge=1)


class SessionHeld(Event, SessionFacts):
    AGGREGATE_ID: ClassVar[str] = "session_id"


class SessionCorrected(Event, SessionFacts):
    """The whole corrected metadata of the session; replaces what SessionHeld said."""

    AGGREGATE_ID: ClassVar[str] = "session_id"
    corrected_by: LoggedBy | None = None


class SessionRetracted(Event):
    AGGREGATE_ID: ClassVar[str] = "session_id"
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    reason: str = ""
    """A reason code (logged_by_mistake, duplicate, did_not_take_place), never free text."""
    version: int | None = Field(default=None, ge=1)
    retracted_by: LoggedBy | None = None


AgreementFrequency = Literal["weekly", "every_two_weeks", "every_three_weeks", "monthly", "every_six_weeks"]
MemberRole = Literal["mentor", "mentee"]


class AgreementRecorded(Event):
    """The whole state of a pair's agreement, stated anew when recorded, changed or confirmed by a member.

    The practical terms are the pair's free text and stay in sessions' database; only the meeting
    frequency, who confirmed confidentiality and the dates travel. `version` counts the pair's
    statements (1 = first recorded), so a consumer keeps the latest on replay.
    """

    AGGREGATE_ID: ClassVar[str] = "pair_id"
    pair_id: UUID
    cohort_id: UUID
    frequency: AgreementFrequency
    recorded_on: date
    recorded_by: MemberRole
    confirmed_by_mentor: bool = False
    confirmed_by_mentee: bool = False
    mentor_confirmed_on: date | None = None
    mentee_confirmed_on: date | None = None
    version: int = Field(default=1, ge=1)


EvaluationKind = Literal["midpoint", "closing"]


class EvaluationOpened(Event):
    """Staff opened a cohort's mid-point or closing evaluation: members answer from opens_on to closes_on."""

    AGGREGATE_ID: ClassVar[str] = "evaluation_id"
    evaluation_id: UUID
    cohort_id: UUID
    kind: EvaluationKind
    opens_on: date
    closes_on: date


class EvaluationScores(BaseModel):
    """The scaled questions, 1 (not at all) to 5 (very much)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    expectations_met: int = Field(ge=1, le=5)
    """The relation met my expectations."""
    learning: int = Field(ge=1, le=5)
    """I learned something I use in my work."""
    openness: int = Field(ge=1, le=5)
    """We could talk openly and in confidence."""
    programme: int = Field(ge=1, le=5)
    """The programme was well organised."""


class EvaluationSubmitted(Event):
    """One member answered an evaluation (once). Only the scaled answers travel: what the relation gave,
    what to improve and any quote are free text and stay in sessions' database."""

    AGGREGATE_ID: ClassVar[str] = "evaluation_id"
    evaluation_id: UUID
    cohort_id: UUID
    kind: EvaluationKind
    pair_id: UUID
    participant_id: UUID
    role: MemberRole
    company_id: UUID | None = None
    scores: EvaluationScores
    submitted_on: date


class EvaluationQuoteConsented(Event):
    """A member's evaluation quote, published with their consent: the quote travels sealed under its
    author's personal key (`SEALED`), so erasing the author shreds it in the log too, like a name.
    Readers attribute it by role and year alone ("Mentor 2027"); `participant_id` only says whose key
    seals it and whose erasure drops it, and is never shown."""

    AGGREGATE_ID: ClassVar[str] = "evaluation_id"
    SEALED: ClassVar[dict[str, str]] = {"quote": "participant_id"}
    evaluation_id: UUID
    cohort_id: UUID
    kind: EvaluationKind
    participant_id: UUID
    role: MemberRole
    year: int = Field(ge=1900, le=2999)
    quote: str


class EvaluationQuoteWithdrawn(Event):
    """The author withdrew their consent to publish their quote: every reader drops it."""

    AGGREGATE_ID: ClassVar[str] = "evaluation_id"
    evaluation_id: UUID
    cohort_id: UUID
    participant_id: UUID


class MemberTokenIssued(Event):
    """A pair member's personal token was issued: only its SHA-256 travels, so the other services can
    recognise the member and answer them about themselves (their data export) and nothing else. A
    later generation for the same pair and role replaces (revokes) the earlier one."""

    AGGREGATE_ID: ClassVar[str] = "pair_id"
    pair_id: UUID
    role: MemberRole
    participant_id: UUID
    token_hash: str
    generation: int = Field(ge=1)
