"""Consent texts: versioned, in Danish and English, each in force from its publication day until the
next one's. A registration records the version the person agreed to; naming none means today's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.intake.domain.errors import Invalid, Problem
from services.intake.domain.registration import Registration

ConsentText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class NewConsentText(BaseModel):
    """A new version of the consent text, as staff publish it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(
        min_length=1, max_length=50, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="e.g. 2027-1"
    )
    text_da: ConsentText = Field(description="The text in Danish")
    text_en: ConsentText = Field(description="The text in English")
    published_on: date | None = Field(None, description="The day it takes effect; today if left out")

    @field_validator("published_on", mode="before")
    @classmethod
    def _a_day_as_text(cls, value: object) -> object:
        """A day is written YYYY-MM-DD: a number is not a day (pydantic would read it as a timestamp)."""
        if value is not None and not isinstance(value, (str, date)):
            raise ValueError("must be a date, YYYY-MM-DD")
        return value


@dataclass(frozen=True)
class PublishedText:
    version: str
    published_on: date


def in_force(texts: Sequence[PublishedText], today: date) -> str | None:
    """The version in force today: the latest published on or before today (texts newest first)."""
    return next((t.version for t in texts if t.published_on <= today), None)


def with_version(registration: Registration, current: str | None, known: set[str]) -> Registration:
    """The registration with the version it agreed to: its own (which must exist) or today's."""
    given = registration.consent_text_version
    if given:
        if given not in known:
            raise Invalid([unknown_version(given)])
        return registration
    if current is None:
        return registration
    return registration.model_copy(update={"consent_text_version": current})


def unknown_version(version: str, loc: tuple[str | int, ...] = ("body",)) -> Problem:
    return Problem(
        (*loc, "consent_text_version"), f"no consent text version {version!r}", "unknown_consent_text"
    )
