"""What the API answers, as documented in OpenAPI; requests use the domain's models directly."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from services.intake.domain.cohort import IntakeState
from services.intake.domain.vocabulary import WithdrawalReason


class CompanyOut(BaseModel):
    company_id: UUID
    name: str
    hr_contact_name: str
    hr_contact_email: str
    avoid_company_ids: list[UUID] = Field(
        description="The companies none of this company's people may be paired with (its must-not-pair list)."
    )
    created_at: datetime


class ApiKeyOut(BaseModel):
    key_id: UUID
    company_id: UUID
    key_prefix: str = Field(description="The first characters of the key, to recognise it.")
    label: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute.")
    revoked_at: datetime | None


class IssuedApiKey(ApiKeyOut):
    api_key: str = Field(description="The key itself. Shown only now: intake keeps only its SHA-256.")


class CohortOut(BaseModel):
    cohort_id: UUID
    name: str
    intake_opens_on: date
    intake_closes_on: date
    kickoff_on: date | None = Field(description="The kick-off, where pairs first meet.")
    midpoint_on: date | None = Field(description="The mid-point (and its evaluation).")
    closing_on: date | None = Field(description="The closing meeting and evaluation.")
    closed_on: date | None = Field(description="When staff closed the cohort; null while it runs.")
    intake_state: IntakeState = Field(description="Today, in the programme's time zone; closed once closed.")


class ParticipantOut(BaseModel):
    """A participant as its own company (and staff) see it."""

    participant_id: UUID
    company_id: UUID
    status: Literal["active", "withdrawn", "erased"]
    cohort_id: UUID
    role: Literal["mentor", "mentee"]
    external_ref: str | None
    name: str
    email: str
    job_title: str
    leadership_level: int
    years_experience: int
    industry: str
    function: str
    languages: list[str]
    region: str
    meeting_preference: str
    themes: list[str]
    themes_free_text: str
    expectations: str
    capacity: int | None
    avoid_company_ids: list[UUID]
    consent_text_version: str
    consented_at: datetime
    registered_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    withdrawal_note: str


class ParticipantPage(BaseModel):
    items: list[ParticipantOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


class Withdrawal(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "left_company", "note": "Left the company in March."}]},
    )

    reason: WithdrawalReason = Field(description="Travels in ParticipantWithdrawn; reporting counts by it.")
    note: str = Field("", max_length=1000, description="Free text; stays in intake.")


class RowError(BaseModel):
    field: str
    message: str
    type: str


class RowReport(BaseModel):
    row: int = Field(description="1 is the first data row (after the CSV header).")
    line: int | None = Field(description="CSV only: the line of the file the row starts on.")
    status: Literal["accepted", "rejected"]
    external_ref: str | None
    participant_id: UUID | None = Field(description="Null in a dry run and for rejected rows.")
    replayed: bool = Field(
        description="Registered earlier under the same external_ref; nothing new was made."
    )
    errors: list[RowError]


class ImportReport(BaseModel):
    cohort_id: UUID
    format: Literal["csv", "json"]
    dry_run: bool
    rows: int
    accepted: int
    rejected: int
    replayed: int
    results: list[RowReport]


class Term(BaseModel):
    code: str
    label: str


class Vocabulary(BaseModel):
    themes: list[Term]
    industries: list[str]
    functions: list[str]
    regions: list[str]
    meeting_preferences: list[str]
    languages: list[str] = Field(description="ISO 639-1 codes.")
    withdrawal_reasons: list[str]
    import_columns: list[str]
    required_import_columns: list[str]


def _day_as_text(value: object) -> object:
    """A day is written `YYYY-MM-DD`: a number is not read as seconds since 1970."""
    if value is not None and not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


class ReminderRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    today: Annotated[date | None, BeforeValidator(_day_as_text)] = Field(
        None, description="Development only: the day the rules run for (YYYY-MM-DD)."
    )


class ReminderRunOut(BaseModel):
    decided: int = Field(description="Reminders newly decided (each once per rule, pair, recipient, period).")
    sent: int = Field(description="Mails the SMTP server accepted in this call.")


class ReminderOut(BaseModel):
    reminder_id: UUID
    rule: Literal["pair_at_risk", "evaluation_unanswered", "agreement_missing"]
    pair_id: UUID
    cohort_id: UUID | None = Field(description="The pair's cohort (as matching announced it).")
    recipient: Literal["mentor", "mentee", "staff"]
    participant_id: UUID | None
    name: str | None = Field(description="The member's name; none for a note to staff.")
    period: str
    status: Literal["queued", "sent", "cancelled", "failed"]
    attempts: int
    decided_at: datetime
    sent_at: datetime | None


class OptOutOut(BaseModel):
    participant_id: UUID
    name: str | None
    role: Literal["mentor", "mentee"] | None
    company_id: UUID | None
    via: Literal["mail_link", "pair_page"]
    opted_out_at: datetime


class OptOutToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=200, description="The signed token of the opt-out link.")
    via: Literal["mail_link", "pair_page"] = "mail_link"


class ReminderPreference(BaseModel):
    participant_id: UUID
    opted_out: bool


class ErasureOut(BaseModel):
    participant_id: UUID
    status: Literal["erased"]
    keys: Literal["destroyed", "pending"] = Field(
        description="`pending`: intake has erased the person, the vault has not confirmed the key destroyed "
        "yet; intake retries until it does."
    )


class ErasuresOut(BaseModel):
    erased: int = Field(description="People erased by this request.")
    already_erased: int
    not_found: list[UUID] = Field(description="Ids no participant has; nothing was done for them.")
    keys: Literal["destroyed", "pending"]
