"""Cohorts: one programme round, with an intake window outside which registration is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from services.intake.domain.errors import Conflict

IntakeState = Literal["not_open_yet", "open", "closed"]

CohortName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


@dataclass(frozen=True)
class Cohort:
    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date

    def intake_state(self, today: date) -> IntakeState:
        """Both dates are inclusive, in the programme's time zone."""
        if today < self.intake_opens_on:
            return "not_open_yet"
        if today > self.intake_closes_on:
            return "closed"
        return "open"

    def ensure_open(self, today: date) -> None:
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

    @field_validator("intake_closes_on")
    @classmethod
    def _after_opening(cls, value: date, info: ValidationInfo) -> date:
        opens = info.data.get("intake_opens_on")
        if opens is not None and value < opens:
            raise ValueError("must be on or after intake_opens_on")
        return value


class CohortChanges(BaseModel):
    """Rename a cohort, or move its window (close intake early, extend it)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [{"intake_closes_on": "2026-12-15"}]}
    )

    name: CohortName | None = None
    intake_opens_on: date | None = None
    intake_closes_on: date | None = None

    def apply_to(self, cohort: Cohort) -> NewCohort:
        current = {
            "name": cohort.name,
            "intake_opens_on": cohort.intake_opens_on,
            "intake_closes_on": cohort.intake_closes_on,
        }
        return NewCohort.model_validate({**current, **self.model_dump(exclude_unset=True)})
