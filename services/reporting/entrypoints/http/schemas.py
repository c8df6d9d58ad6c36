"""The JSON shapes of reporting's API that are not the report itself (domain/report.py)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from services.reporting.domain.model import Cohort


class CohortOut(BaseModel):
    cohort_id: UUID
    name: str
    intake_opens_on: date | None
    intake_closes_on: date | None
    kickoff_on: date | None = None
    midpoint_on: date | None = None
    closing_on: date | None = None
    closed_on: date | None = None

    @classmethod
    def of(cls, cohort: Cohort) -> CohortOut:
        return cls(
            cohort_id=cohort.cohort_id,
            name=cohort.title,
            intake_opens_on=cohort.intake_opens_on,
            intake_closes_on=cohort.intake_closes_on,
            kickoff_on=cohort.kickoff_on,
            midpoint_on=cohort.midpoint_on,
            closing_on=cohort.closing_on,
            closed_on=cohort.closed_on,
        )


class SignInCodeOut(BaseModel):
    code: str
    expires_at: datetime
    note: str = "open /dashboard?code=<code> (or any dashboard page with it) once, before it expires"
