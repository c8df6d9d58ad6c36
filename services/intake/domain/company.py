"""Partner companies and the rules about whom a participant may ask to avoid."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

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


class NewApiKey(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [{"label": "HR system"}]}
    )

    label: Label = Field("", description="What the key is for, so it can be recognised when revoking.")


def avoid_list_problems(
    avoid_company_ids: tuple[UUID, ...], own_company: UUID, known_companies: Collection[UUID]
) -> list[Problem]:
    """Each avoided company must be another partner company."""
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
