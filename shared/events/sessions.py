"""Events published by sessions: metadata of conversations held, never their content."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from shared.events.envelope import Event

SessionFormat = Literal["in_person", "online", "phone"]
Tool = Literal["coaching", "supervision", "instruction", "advice", "sharing_experience"]
LoggedBy = Literal["mentor", "mentee", "staff"]


class SessionHeld(Event):
    AGGREGATE_ID: ClassVar[str] = "session_id"
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


class SessionCorrected(Event):
    """The whole corrected metadata of the session; replaces what SessionHeld said."""

    AGGREGATE_ID: ClassVar[str] = "session_id"
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


class SessionRetracted(Event):
    AGGREGATE_ID: ClassVar[str] = "session_id"
    session_id: UUID
    pair_id: UUID
    cohort_id: UUID
    reason: str = ""
