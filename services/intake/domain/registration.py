"""What a partner company sends to register one leader, and the rules it must meet.

Everything here is pure: the rules that need the database (does the cohort exist, is the email
already taken in it) live in the service layer.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic.networks import validate_email

from services.intake.domain.themes import Theme
from services.intake.domain.vocabulary import LANGUAGES, Function, Industry, MeetingPreference, Region, code

Role = Literal["mentor", "mentee"]

CLOCK_SKEW = timedelta(minutes=5)
CONSENT_FLOOR = datetime(2000, 1, 1, tzinfo=UTC)
"""No consent given to this programme can be older: an earlier date is a typing or system error."""
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


def _language(value: Any) -> Any:
    value = code(value)
    if isinstance(value, str) and value not in LANGUAGES:
        raise ValueError(f"{value!r} is not an ISO 639-1 language code (such as 'da', 'en', 'de')")
    return value


_SIMPLE_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")


def _email(value: str) -> str:
    """Ordinary addresses by a strict pattern (fast: imports check thousands); anything else, and
    anything the pattern is unsure of, by email-validator exactly as pydantic's EmailStr does."""
    local, _, domain = value.rpartition("@")
    domain = domain.lower()
    if (
        len(local) <= 64
        and _SIMPLE_EMAIL.match(value)
        and not any(domain == d or domain.endswith(f".{d}") for d in _SPECIAL_USE_DOMAINS)
    ):
        return f"{local}@{domain}"
    return validate_email(value)[1]


def _unique(values: tuple[Any, ...]) -> tuple[Any, ...]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value} is listed twice")
        seen.add(value)
    return values


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)
]
ExternalRef = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_PRINTABLE)
]
Email = Annotated[
    str,
    Field(max_length=254),
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
LeadershipLevel = Annotated[int, Field(ge=1, le=5)]
YearsExperience = Annotated[int, Field(ge=0, le=60)]
IndustryCode = Annotated[Industry, BeforeValidator(code)]
FunctionCode = Annotated[Function, BeforeValidator(code)]
RegionCode = Annotated[Region, BeforeValidator(code)]
Meeting = Annotated[MeetingPreference, BeforeValidator(code)]
Languages = Annotated[
    tuple[Annotated[str, BeforeValidator(_language)], ...],
    Field(min_length=1, max_length=10),
    AfterValidator(_unique),
]
Themes = Annotated[
    tuple[Annotated[Theme, BeforeValidator(code)], ...],
    Field(min_length=1, max_length=5),
    AfterValidator(_unique),
]
FreeText = Annotated[str, Field(max_length=1000)]
Expectations = Annotated[str, Field(min_length=1, max_length=2000)]  # blank is empty: models strip strings
Capacity = Annotated[int, Field(ge=1, le=3)]
AvoidList = Annotated[tuple[UUID, ...], Field(max_length=20), AfterValidator(_unique)]

EXAMPLE: JsonDict = {
    "cohort_id": "0b5c8f2e-4c8f-4a8e-9d7e-2f1a3b4c5d6e",
    "role": "mentee",
    "external_ref": "HR-10442",
    "name": "Mette Jensen",
    "email": "mette.jensen@example.com",
    "job_title": "Team Lead, Customer Service",
    "leadership_level": 1,
    "years_experience": 3,
    "industry": "energy",
    "function": "customer_service",
    "languages": ["da", "en"],
    "region": "midtjylland",
    "meeting_preference": "either",
    "themes": ["first_time_manager", "conflict_handling"],
    "themes_free_text": "Leading former peers",
    "expectations": "A sparring partner who has led a team through a reorganisation.",
    "avoid_company_ids": [],
    "consent": True,
    "consent_text_version": "2027-1",
}


class Registration(BaseModel):
    """One leader registered into a cohort as mentor or mentee, with their consent.

    Fields are validated in the order written, so `capacity` can see `role`.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [EXAMPLE]}
    )

    cohort_id: UUID
    role: Role
    external_ref: ExternalRef | None = Field(
        None, description="Your own id for this person; retrying with the same one never registers twice."
    )
    name: Text = Field(description="Full name; programme staff see it, other companies never do.")
    email: Email = Field(description="Unique within a cohort among active participants.")
    job_title: Text
    leadership_level: LeadershipLevel = Field(
        description="1 first-line leader, 2 middle manager, 3 senior manager, 4 director, 5 executive."
    )
    years_experience: YearsExperience = Field(description="Years of leadership experience.")
    industry: IndustryCode
    function: FunctionCode
    languages: Languages = Field(description="ISO 639-1 codes the person can be mentored in.")
    region: RegionCode
    meeting_preference: Meeting
    themes: Themes = Field(
        description="Mentee: themes to develop. Mentor: themes offered. Codes from GET /v1/vocabulary."
    )
    themes_free_text: FreeText = Field("", description="Anything the closed list of themes misses.")
    expectations: Expectations = Field(
        description="Mentee: what they expect from a mentor. Mentor: what they can give."
    )
    capacity: Capacity | None = Field(
        None, validate_default=True, description="Mentors only, required for them: how many mentees (1-3)."
    )
    avoid_company_ids: AvoidList = Field(
        (), description="Partner companies this person must not be paired with (e.g. competitors)."
    )
    consent: bool = Field(
        description="The person consented to the programme's use of the data; must be true."
    )
    consented_at: AwareDatetime | None = Field(
        None, description="When they consented; the time of the call if left out."
    )
    consent_text_version: str = Field("", max_length=50, description="Which consent text they accepted.")

    @field_validator("capacity")
    @classmethod
    def _capacity_for_mentors_only(cls, value: int | None, info: ValidationInfo) -> int | None:
        role = info.data.get("role")
        if role == "mentor" and value is None:
            raise ValueError("mentors must give a capacity of 1-3 mentees")
        if role == "mentee" and value is not None:
            raise ValueError("only mentors have a capacity; leave it out for mentees")
        return value

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if not value:
            raise ValueError("consent to the programme's use of the data is required to register")
        return value

    @field_validator("consented_at")
    @classmethod
    def _within_the_programme(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("must not be in the future")
        if value is not None and value < CONSENT_FLOOR:
            raise ValueError(f"must not be before {CONSENT_FLOOR.date().isoformat()}")
        return value

    def fingerprint(self) -> str:
        """The same request gives the same fingerprint: retries replay, different requests conflict.

        Fields serialise in declaration order: reordering the fields above changes every fingerprint.
        """
        return hashlib.sha256(self.model_dump_json(exclude_unset=True).encode()).hexdigest()


class ProfileChanges(BaseModel):
    """A partial update: only the fields sent change. Cohort, role, external_ref and consent stay."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"job_title": "Head of Customer Service", "leadership_level": 2}]},
    )

    name: Text | None = None
    email: Email | None = None
    job_title: Text | None = None
    leadership_level: LeadershipLevel | None = None
    years_experience: YearsExperience | None = None
    industry: IndustryCode | None = None
    function: FunctionCode | None = None
    languages: Languages | None = None
    region: RegionCode | None = None
    meeting_preference: Meeting | None = None
    themes: Themes | None = None
    themes_free_text: FreeText | None = None
    expectations: Expectations | None = None
    capacity: Capacity | None = None
    avoid_company_ids: AvoidList | None = None

    def apply_to(self, registration: Registration) -> Registration:
        """The registration with these changes, checked by every registration rule again."""
        changed = self.model_dump(exclude_unset=True)
        merged = {**registration.model_dump(exclude_unset=True), **changed}
        return Registration.model_validate(merged)
