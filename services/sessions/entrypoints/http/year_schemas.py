"""What the programme-year endpoints accept and answer: agreements and evaluations. Free text (terms,
what the relation gave, what to improve, a quote) is answered only to the pair member who wrote it or
to both members (terms), and quotes to staff only when consented, signed by role and year."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.sessions.domain.agreement import TERMS_MAX_CHARS, Agreement
from services.sessions.domain.evaluation import QUOTE_MAX_CHARS, TEXT_MAX_CHARS, Answer
from services.sessions.domain.model import MemberRole
from shared.events.sessions import AgreementFrequency, EvaluationKind, EvaluationScores


class AgreementIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "frequency": "monthly",
                    "terms": "Two hours at my office, we take turns to set the agenda.",
                    "confidentiality_confirmed": True,
                }
            ]
        },
    )

    frequency: AgreementFrequency = Field(description="How often the pair agrees to meet.")
    terms: str = Field(
        default="",
        max_length=TERMS_MAX_CHARS,
        description="Practical terms, the pair's own words: stay here.",
    )
    confidentiality_confirmed: bool = Field(
        default=False, description="The recording member confirms that what is said in the pair stays there."
    )


class AgreementOut(BaseModel):
    pair_id: UUID
    frequency: AgreementFrequency
    terms: str | None = Field(default=None, description="Only for the pair's own members.")
    recorded_on: date
    recorded_by: MemberRole
    confirmed_by_mentor: bool
    confirmed_by_mentee: bool
    mentor_confirmed_on: date | None
    mentee_confirmed_on: date | None
    version: int

    @classmethod
    def of(cls, a: Agreement, show_terms: bool) -> AgreementOut:
        return cls(
            pair_id=a.pair_id, frequency=a.frequency, terms=a.terms if show_terms else None,
            recorded_on=a.recorded_on, recorded_by=a.recorded_by, confirmed_by_mentor=a.confirmed_by("mentor"),
            confirmed_by_mentee=a.confirmed_by("mentee"), mentor_confirmed_on=a.mentor_confirmed_on,
            mentee_confirmed_on=a.mentee_confirmed_on, version=a.version,
        )  # fmt: skip


class AgreementSummary(BaseModel):
    """Staff's overview of a cohort: which pairs have an agreement (never its terms)."""

    pair_id: UUID
    frequency: AgreementFrequency
    recorded_on: date
    mentor_confirmed_on: date | None
    mentee_confirmed_on: date | None
    version: int


class EvaluationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"kind": "closing", "opens_on": "2027-11-15", "closes_on": "2027-12-02"}]
        },
    )

    kind: EvaluationKind
    opens_on: date
    closes_on: date


class EvaluationOut(BaseModel):
    evaluation_id: UUID
    cohort_id: UUID
    kind: EvaluationKind
    opens_on: date
    closes_on: date


class CohortEvaluationOut(EvaluationOut):
    mentor_answers: int = Field(description="How many mentors answered (counts only, never who).")
    mentee_answers: int


class PairEvaluationOut(EvaluationOut):
    state: str = Field(description="not_open_yet, open or closed, today in the programme's zone.")
    answered: bool = Field(description="Whether the calling member answered it (always false for staff).")
    quote_published: bool = Field(
        default=False,
        description="Whether the calling member's quote is published with their consent (they may withdraw it).",
    )


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scores": {"expectations_met": 5, "learning": 4, "openness": 5, "programme": 4},
                    "gave": "A view from outside my own company.",
                    "improve": "More time at the kick-off.",
                    "quote": "A year that changed how I lead.",
                    "quote_consent": True,
                }
            ]
        },
    )

    scores: EvaluationScores
    gave: str = Field(default="", max_length=TEXT_MAX_CHARS, description="What the relation gave you.")
    improve: str = Field(default="", max_length=TEXT_MAX_CHARS, description="What to improve.")
    quote: str | None = Field(default=None, max_length=QUOTE_MAX_CHARS, description="A quote to publish.")
    quote_consent: bool = Field(
        default=False,
        description="Consent to publish the quote anonymously, signed only by role and year ('Mentor 2027').",
    )

    def answer(self) -> Answer:
        return Answer(self.scores, self.gave, self.improve, self.quote or None, self.quote_consent)


class SubmittedOut(BaseModel):
    evaluation_id: UUID
    kind: EvaluationKind
    role: MemberRole
    submitted_on: date


class QuoteOut(BaseModel):
    quote: str
    signed: str = Field(description="Role and year only, e.g. 'Mentor 2027': never a name or company.")
    kind: EvaluationKind


class QuoteWithdrawnOut(BaseModel):
    withdrawn: bool = Field(description="False when there was no consent to withdraw.")
