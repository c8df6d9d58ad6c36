"""A cohort as reporting knows it: plain values loaded from the projections, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

Role = Literal["mentor", "mentee"]
ROLES: tuple[Role, ...] = ("mentee", "mentor")
TOOLS = ("coaching", "supervision", "instruction", "advice", "sharing_experience")
FORMATS = ("in_person", "online", "phone")


@dataclass(frozen=True)
class Cohort:
    cohort_id: UUID
    name: str | None
    intake_opens_on: date | None = None
    intake_closes_on: date | None = None
    kickoff_on: date | None = None
    midpoint_on: date | None = None
    closing_on: date | None = None
    closed_on: date | None = None

    @property
    def title(self) -> str:
        return self.name or f"cohort {str(self.cohort_id)[:8]}"


@dataclass(frozen=True)
class Company:
    company_id: UUID
    name: str
    hr_contact_name: str = ""
    hr_contact_email: str = ""

    @property
    def hr_contact(self) -> str:
        if self.hr_contact_name and self.hr_contact_email:
            return f"{self.hr_contact_name} <{self.hr_contact_email}>"
        return self.hr_contact_name or self.hr_contact_email


@dataclass(frozen=True)
class Participant:
    participant_id: UUID
    company_id: UUID
    role: Role
    display_name: str | None
    withdrawn: bool = False


@dataclass(frozen=True)
class Pair:
    pair_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    mentee_company_id: UUID
    mentor_company_id: UUID
    matched_on: date
    ended_on: date | None = None
    end_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def involves(self, company_id: UUID) -> bool:
        return company_id in (self.mentee_company_id, self.mentor_company_id)


@dataclass(frozen=True)
class Session:
    session_id: UUID
    pair_id: UUID
    held_on: date
    duration_minutes: int
    format: str
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class CohortData:
    """Everything known about one cohort: only matched pairs, only sessions held and not retracted."""

    cohort: Cohort
    companies: dict[UUID, Company] = field(default_factory=dict)
    participants: tuple[Participant, ...] = ()
    pairs: tuple[Pair, ...] = ()
    sessions: tuple[Session, ...] = ()

    def company_name(self, company_id: UUID) -> str:
        company = self.companies.get(company_id)
        return company.name if company else f"company {str(company_id)[:8]}"

    def restricted_to(self, company_id: UUID) -> CohortData:
        """The company's own participants, the pairs they are in and those pairs' sessions."""
        pairs = tuple(p for p in self.pairs if p.involves(company_id))
        pair_ids = {p.pair_id for p in pairs}
        return CohortData(
            cohort=self.cohort,
            companies={k: v for k, v in self.companies.items() if k == company_id},
            participants=tuple(p for p in self.participants if p.company_id == company_id),
            pairs=pairs,
            sessions=tuple(s for s in self.sessions if s.pair_id in pair_ids),
        )
