"""Cohorts: one programme round, with an intake window outside which registration is refused, and a
programme timeline (kick-off, mid-point, closing). Staff close a cohort when its year is over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services.intake.domain.errors import Conflict

IntakeState = Literal["not_open_yet", "open", "closed"]

CohortName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


@dataclass(frozen=True)
class Cohort:
    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date
    kickoff_on: date | None = None
    midpoint_on: date | None = None
    closing_on: date | None = None
    closed_on: date | None = None

    def intake_state(self, today: date) -> IntakeState:
        """Both dates are inclusive, in the programme's time zone; a closed cohort takes no one."""
        if self.closed_on is not None:
            return "closed"
        if today < self.intake_opens_on:
            return "not_open_yet"
        if today > self.intake_closes_on:
            return "closed"
        return "open"

    def ensure_not_closed(self) -> None:
        if self.closed_on is not None:
            raise Conflict(
                f"cohort {self.name!r} was closed on {self.closed_on.isoformat()}", "cohort_closed"
            )

    def ensure_open(self, today: date) -> None:
        self.ensure_not_closed()
        state = self.intake_state(today)
        if state == "not_open_yet":
            raise Conflict(
                f"intake for cohort {self.name!r} opens on {self.intake_opens_on.isoformat()}",
                "intake_not_open",
            )
        if state == "closed":
            raise Conflict(
                f"intake for cohort {self.name!r} closed on {self.intake_closes_on.isoformat()}",
                "intake_closed",
            )


class NewCohort(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "2027", "intake_opens_on": "2026-09-01", "intake_closes_on": "2026-11-30"}]
        },
    )

    name: CohortName = Field(description="Usually the year, e.g. '2027'; unique.")
    intake_opens_on: date = Field(description="First day registrations are accepted (inclusive).")
    intake_closes_on: date = Field(description="Last day registrations are accepted (inclusive).")
    kickoff_on: date | None = Field(default=None, description="The kick-off, where pairs first meet.")
    midpoint_on: date | None = Field(default=None, description="The mid-point (and its evaluation).")
    closing_on: date | None = Field(default=None, description="The closing meeting and evaluation.")

    @field_validator("intake_closes_on")
    @classmethod
    def _after_opening(cls, value: date, info: ValidationInfo) -> date:
        opens = info.data.get("intake_opens_on")
        if opens is not None and value < opens:
            raise ValueError("must be on or after intake_opens_on")
        return value

    @model_validator(mode="after")
    def _timeline_in_order(self) -> NewCohort:
        """Intake opens, then kick-off, mid-point and closing follow in that order (any may be unset)."""
        order = ("intake_opens_on", "kickoff_on", "midpoint_on", "closing_on")
        earlier: tuple[str, date] | None = None
        for name in order:
            value = getattr(self, name)
            if value is None:
                continue
            same_day_allowed = name == "kickoff_on"  # a kick-off may be on intake's first day
            if earlier is not None and (value < earlier[1] or (value == earlier[1] and not same_day_allowed)):
                raise ValueError(f"{name} must be after {earlier[0]}")
            earlier = (name, value)
        return self


class CohortChanges(BaseModel):
    """Rename a cohort, or move its window (close intake early, extend it)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [{"intake_closes_on": "2026-12-15"}]}
    )

    name: CohortName | None = None
    intake_opens_on: date | None = None
    intake_closes_on: date | None = None
    kickoff_on: date | None = None
    midpoint_on: date | None = None
    closing_on: date | None = None

    def apply_to(self, cohort: Cohort) -> NewCohort:
        current = {
            "name": cohort.name,
            "intake_opens_on": cohort.intake_opens_on,
            "intake_closes_on": cohort.intake_closes_on,
            "kickoff_on": cohort.kickoff_on,
            "midpoint_on": cohort.midpoint_on,
            "closing_on": cohort.closing_on,
        }
        return NewCohort.model_validate({**current, **self.model_dump(exclude_unset=True)})
