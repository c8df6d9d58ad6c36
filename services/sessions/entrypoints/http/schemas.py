"""What the HTTP API accepts and answers; request models refuse unknown fields. Times are answered in
the programme's zone; `notes` appear only in answers to the pair's own members."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from services.sessions.domain.details import session_details
from services.sessions.domain.model import (
    MAX_DURATION_MINUTES,
    MEMBER_ROLES,
    MIN_DURATION_MINUTES,
    NOTES_MAX_CHARS,
    MemberRole,
    RetractionReason,
    SessionDetails,
    Version,
    VersionKind,
)
from services.sessions.service_layer.sessions import Answer
from shared.events.sessions import LoggedBy, SessionFormat, Tool

_EXAMPLE: JsonDict = {
    "held_on": "2027-03-04",
    "start_time": "16:30",
    "duration_minutes": 90,
    "format": "in_person",
    "tools": ["coaching", "sharing_experience"],
    "rating": 5,
    "notes": "Only the two of us can read this.",
}


class SessionIn(BaseModel):
    """A session held; notes are private to the pair and may come only from its mentor or mentee."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    held_on: date = Field(description="The day the session was held (not in the future)")
    start_time: time = Field(description="Local start time, HH:MM, in the programme's time zone")
    duration_minutes: int = Field(ge=MIN_DURATION_MINUTES, le=MAX_DURATION_MINUTES)
    format: SessionFormat
    tools: list[Tool] = Field(default_factory=list, max_length=10, description="The toolbox used")
    rating: int | None = Field(default=None, ge=1, le=5, description="How it went, by whoever logs it")
    notes: str | None = Field(
        default=None, max_length=NOTES_MAX_CHARS, description="Private: readable only by the pair's members"
    )

    @field_validator("notes")
    @classmethod
    def _blank_is_none(cls, notes: str | None) -> str | None:
        return notes if notes and notes.strip() else None

    def details(self, zone: ZoneInfo) -> SessionDetails:
        return session_details(
            held_on=self.held_on,
            start_time=self.start_time,
            duration_minutes=self.duration_minutes,
            format=self.format,
            tools=self.tools,
            rating=self.rating,
            zone=zone,
        )


class CorrectionIn(SessionIn):
    """The whole corrected metadata; leave out `rating` or `notes` to keep them as they are."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{**_EXAMPLE, "duration_minutes": 75, "base_version": 1}]},
    )

    base_version: int | None = Field(
        default=None, ge=1, description="Refuse (409) if the session is no longer at this version"
    )


class RetractionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: RetractionReason = Field(description="A reason code; free text is not accepted here")


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[MemberRole] = Field(default_factory=lambda: list(MEMBER_ROLES), min_length=1)


def details_out(details: SessionDetails, zone: ZoneInfo) -> dict[str, Any]:
    """The metadata fields every session answer shows, in the programme's time zone."""
    started_at = details.started_at.astimezone(zone)
    return {
        "held_on": details.held_on,
        "start_time": started_at.strftime("%H:%M"),
        "started_at": started_at,
        "duration_minutes": details.duration_minutes,
        "format": details.format,
        "tools": list(details.tools),
        "rating": details.rating,
    }


class SessionOut(BaseModel):
    """`notes` is present only in answers to the pair's own members."""

    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    version: int
    held_on: date
    start_time: str = Field(description="Local start time in the programme's time zone")
    started_at: datetime
    duration_minutes: int
    format: SessionFormat
    tools: list[Tool]
    rating: int | None
    logged_by: LoggedBy
    retracted: bool
    notes: str | None = None

    @classmethod
    def of(cls, answer: Answer, zone: ZoneInfo) -> SessionOut:
        s = answer.session
        out = cls(
            session_id=s.session_id,
            pair_id=s.pair_id,
            cohort_id=s.cohort_id,
            version=s.version,
            logged_by=s.logged_by,
            retracted=s.retracted,
            **details_out(s.details, zone),
        )
        return out.model_copy(update={"notes": answer.notes}) if answer.show_notes else out


class VersionOut(BaseModel):
    version: int
    kind: VersionKind
    recorded_by: LoggedBy
    recorded_at: datetime
    held_on: date
    start_time: str
    started_at: datetime
    duration_minutes: int
    format: SessionFormat
    tools: list[Tool]
    rating: int | None
    retraction_reason: RetractionReason | None = None
    notes: str | None = None

    @classmethod
    def of(cls, v: Version, zone: ZoneInfo, notes: str | None, show_notes: bool) -> VersionOut:
        out = cls(
            version=v.version,
            kind=v.kind,
            recorded_by=v.recorded_by,
            recorded_at=v.recorded_at,
            retraction_reason=v.retraction_reason,
            **details_out(v.details, zone),
        )
        return out.model_copy(update={"notes": notes}) if show_notes else out


class SessionHistoryOut(BaseModel):
    session: SessionOut
    versions: list[VersionOut]


class TokenStatus(BaseModel):
    role: MemberRole
    generation: int
    issued_at: datetime


class PairMember(BaseModel):
    """One member as the pair sees them: who they are, their company and whom to contact there."""

    role: MemberRole
    name: str | None = Field(description="From intake; null until its event arrives")
    company: str | None = Field(description="From intake; null until its event arrives")
    hr_contact_name: str | None = Field(description="The company's HR contact for the programme")
    hr_contact_email: str | None


class PairOut(BaseModel):
    pair_id: UUID
    cohort_id: UUID
    matched_on: date | None
    ended_on: date | None
    your_role: LoggedBy
    members: list[PairMember] = Field(
        default_factory=list, description="Mentee and mentor: names, companies and their HR contacts"
    )
    mentee_id: UUID | None = None
    mentor_id: UUID | None = None
    tokens: list[TokenStatus] | None = None


class PairSummary(BaseModel):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    mentee_name: str | None = Field(default=None, description="From intake; null until its event arrives")
    mentor_name: str | None = None
    matched_on: date | None
    ended_on: date | None
    sessions: int
    last_held_on: date | None


class IssuedToken(BaseModel):
    role: MemberRole
    token: str = Field(description="Shown this once; only its hash is kept")
    generation: int
    issued_at: datetime


class IssuedTokens(BaseModel):
    pair_id: UUID
    tokens: list[IssuedToken]
    note: str = "Shown once: hand each token to its member. Issuing again revokes the previous one."


class Me(BaseModel):
    role: LoggedBy
    pair_id: UUID | None = None
    participant_id: UUID | None = Field(None, description="The member's own participant id (members only)")
    cohort_id: UUID | None = None
    matched_on: date | None = None
    ended_on: date | None = None
