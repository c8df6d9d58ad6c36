"""The values sessions reasons about: pairs, who is asking, and sessions with their versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from shared.events.sessions import LoggedBy, SessionFormat, Tool

MemberRole = Literal["mentor", "mentee"]
VersionKind = Literal["held", "corrected", "retracted"]
RetractionReason = Literal["logged_by_mistake", "duplicate", "did_not_take_place"]

MIN_DURATION_MINUTES = 10
MAX_DURATION_MINUTES = 600
NOTES_MAX_CHARS = 4000
TOOLS: tuple[Tool, ...] = ("coaching", "supervision", "instruction", "advice", "sharing_experience")
FORMATS: tuple[SessionFormat, ...] = ("in_person", "online", "phone")
MEMBER_ROLES: tuple[MemberRole, ...] = ("mentor", "mentee")


@dataclass(frozen=True)
class Pair:
    """What sessions knows of a pair; matched_on is None while only its PairEnded has arrived."""

    pair_id: UUID
    cohort_id: UUID
    matched_on: date | None
    ended_on: date | None

    @property
    def matched(self) -> bool:
        return self.matched_on is not None


@dataclass(frozen=True)
class Principal:
    """Who is asking: staff, or one member of one pair (identified by a personal token)."""

    kind: LoggedBy
    pair_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"


STAFF = Principal("staff")


@dataclass(frozen=True)
class SessionDetails:
    """The metadata of a session: all the programme learns about it."""

    held_on: date
    started_at: datetime
    duration_minutes: int
    format: SessionFormat
    tools: tuple[Tool, ...]
    rating: int | None


@dataclass(frozen=True)
class Session:
    """A session as it stands now (its latest version)."""

    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    details: SessionDetails
    logged_by: LoggedBy
    version: int
    retracted: bool
    first_event_id: UUID
    last_event_id: UUID


@dataclass(frozen=True)
class Version:
    """One entry of a session's history; notes are attached only for the pair's members."""

    version: int
    kind: VersionKind
    details: SessionDetails
    recorded_by: LoggedBy
    recorded_at: datetime
    retraction_reason: RetractionReason | None = None
