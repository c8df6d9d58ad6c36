"""Events published by intake: partner companies, cohorts and participants.

Personal data rule: events carry the attributes matching needs and the display name staff see;
email, job title, free-text expectations and consent details stay in intake's own database. The
names (participants' and HR contacts') travel sealed under the person's key (shared/privacy): erasing
a person destroys the key, so no copy in the log can be read again.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.envelope import Event, Sealed

Role = Literal["mentor", "mentee"]
MeetingPreference = Literal["in_person", "online", "either"]


class ParticipantProfile(BaseModel):
    """What matching scores on; the same shape for both roles."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    leadership_level: int = Field(ge=1, le=5)
    years_experience: int = Field(ge=0, le=60)
    industry: str
    function: str
    languages: tuple[str, ...]
    region: str
    meeting_preference: MeetingPreference
    themes: tuple[str, ...] = ()
    capacity: int | None = Field(default=None, ge=1, le=3)
    avoid_company_ids: tuple[UUID, ...] = ()


class CompanyRegistered(Event):
    """v2: the HR contact's name and email are sealed under the company's key (the contact is a person)."""

    SCHEMA_VERSION: ClassVar[int] = 2
    AGGREGATE_ID: ClassVar[str] = "company_id"
    SEALED: ClassVar[dict[str, str]] = {"hr_contact_name": "company_id", "hr_contact_email": "company_id"}
    company_id: UUID
    name: str
    hr_contact_name: Sealed = ""
    hr_contact_email: Sealed = ""


class CompanyApiKeyIssued(Event):
    """Only the SHA-256 of the key travels, so other services can recognise a company's key."""

    AGGREGATE_ID: ClassVar[str] = "company_id"
    company_id: UUID
    key_id: UUID
    key_hash: str


class CompanyApiKeyRevoked(Event):
    AGGREGATE_ID: ClassVar[str] = "company_id"
    company_id: UUID
    key_id: UUID


class CohortState(BaseModel):
    """A cohort's name, intake window and programme timeline; opening states it, each update anew.

    The timeline dates (kick-off, mid-point, closing) were added later: optional, None in older events
    and for a cohort whose timeline is not set yet; when set, kickoff_on <= midpoint_on <= closing_on.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date
    kickoff_on: date | None = None
    midpoint_on: date | None = None
    closing_on: date | None = None


class CohortOpened(Event, CohortState):
    AGGREGATE_ID: ClassVar[str] = "cohort_id"


class ParticipantState(BaseModel):
    """Who a participant is to the programme; registration states it, each profile update anew."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: Role
    display_name: Sealed
    profile: ParticipantProfile


class ParticipantRegistered(Event, ParticipantState):
    """v2: `display_name` is sealed under the participant's key."""

    SCHEMA_VERSION: ClassVar[int] = 2
    AGGREGATE_ID: ClassVar[str] = "participant_id"
    SEALED: ClassVar[dict[str, str]] = {"display_name": "participant_id"}


class ParticipantProfileUpdated(Event, ParticipantState):
    """Carries the whole new profile, so a consumer never needs to merge. v2: the name is sealed."""

    SCHEMA_VERSION: ClassVar[int] = 2
    AGGREGATE_ID: ClassVar[str] = "participant_id"
    SEALED: ClassVar[dict[str, str]] = {"display_name": "participant_id"}


class ParticipantErased(Event):
    """Staff erased the person: their key is destroyed and every service forgets their personal data.
    Carries no personal data; the person still counts (a pair stays a pair), shown as erased."""

    AGGREGATE_ID: ClassVar[str] = "participant_id"
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: Role


class ParticipantWithdrawn(Event):
    AGGREGATE_ID: ClassVar[str] = "participant_id"
    participant_id: UUID
    company_id: UUID
    cohort_id: UUID
    role: Role
    reason: str = ""


class CohortUpdated(Event, CohortState):
    """The whole new state of a cohort whose name, intake window or timeline changed."""

    AGGREGATE_ID: ClassVar[str] = "cohort_id"


class CohortClosed(Event):
    """Staff closed the programme year: no sessions, agreements or evaluation answers are taken after it."""

    AGGREGATE_ID: ClassVar[str] = "cohort_id"
    cohort_id: UUID
    closed_on: date


ReminderRule = Literal["pair_at_risk", "evaluation_unanswered", "agreement_missing"]


class ReminderSent(Event):
    """A reminder mail the SMTP server accepted: which rule, about which pair, to which recipient and
    for which period. Never an address, a name or the mail's text: those stay in intake."""

    AGGREGATE_ID: ClassVar[str] = "pair_id"
    rule: ReminderRule
    pair_id: UUID
    participant_id: UUID | None = None
    """The member mailed; None for the note to programme staff."""
    recipient: Literal["mentor", "mentee", "staff"]
    period: str
    """What the reminder is once for, e.g. `quiet-since-2027-03-01` or `evaluation-<id>`."""
    channel: Literal["email"] = "email"
