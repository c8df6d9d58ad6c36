"""Partner companies and the rules about whom a participant may ask to avoid."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from services.intake.domain.errors import Problem

KEY_PREFIX = "mn"

CompanyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class NewCompany(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Vestas Wind Systems",
                    "hr_contact_name": "Lone Holm",
                    "hr_contact_email": "loho@example.com",
                }
            ]
        },
    )

    name: CompanyName = Field(description="Unique among partner companies (case does not matter).")
    hr_contact_name: CompanyName = Field(description="The company's HR contact for the programme.")
    hr_contact_email: EmailStr = Field(max_length=254)


class ContactChanges(BaseModel):
    """The HR contact may change after registration; the name may not (it travels to every service)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [{"hr_contact_name": "Mads Berg", "hr_contact_email": "mabe@example.com"}]
        },
    )

    hr_contact_name: CompanyName | None = None
    hr_contact_email: EmailStr | None = Field(None, max_length=254)


def _unique(company_ids: tuple[UUID, ...]) -> tuple[UUID, ...]:
    return tuple(dict.fromkeys(company_ids))


class CompanyAvoidList(BaseModel):
    """The whole list, replacing the one before; an empty list clears it."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"examples": [{"avoid_company_ids": ["0b5c8f2e-4c8f-4a8e-9d7e-2f1a3b4c5d6e"]}]},
    )

    avoid_company_ids: Annotated[tuple[UUID, ...], Field(max_length=100), AfterValidator(_unique)] = Field(
        description="Partner companies none of this company's people may be paired with (e.g. competitors)."
    )


class NewApiKey(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [{"label": "HR system"}]}
    )

    label: Label = Field("", description="What the key is for, so it can be recognised when revoking.")


def avoid_list_problems(
    avoid_company_ids: tuple[UUID, ...], own_company: UUID, known_companies: Collection[UUID]
) -> list[Problem]:
    """Each avoided company must be another partner company (for a participant's and a company's list)."""
    problems = []
    for index, company_id in enumerate(avoid_company_ids):
        loc = ("avoid_company_ids", index)
        if company_id == own_company:
            problems.append(
                Problem(
                    loc,
                    "is your own company; nobody is paired within their own company anyway",
                    "own_company",
                )
            )
        elif company_id not in known_companies:
            problems.append(Problem(loc, f"{company_id} is not a partner company", "unknown_company"))
    return problems
