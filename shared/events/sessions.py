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
