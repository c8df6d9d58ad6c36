"""What staff send and what matching answers, as documented in OpenAPI.

Times in answers are ISO 8601 strings as stored (`+00:00`), so they are typed `str` here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.matching.domain.model import CRITERIA, MAX_WEIGHT, IndustryPreference

Criterion = Literal["themes", "level", "industry", "function", "experience", "meeting"]
assert set(Criterion.__args__) == set(CRITERIA)  # type: ignore[attr-defined]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
Timestamp = Annotated[str, Field(description="ISO 8601 date and time with its UTC offset")]
Parts = Annotated[dict[str, float], Field(description="Each criterion's part; the parts add up to the score")]
RunStatus = Literal["proposed", "approved", "superseded"]

# --- requests -------------------------------------------------------------------------------


class SettingsIn(BaseModel):
    """A cohort's matching settings; weights not given keep their documented defaults."""

    model_config = ConfigDict(extra="forbid")
    weights: dict[Criterion, Weight] = {}
    fairness: bool = False
    industry_preference: IndustryPreference = "different"


class PairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mentee_id: UUID
    mentor_id: UUID


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)
    do_not_rematch: bool = False
    ended_on: date | None = None


# --- cohorts --------------------------------------------------------------------------------


class SettingsOut(BaseModel):
    cohort_id: UUID
    weights: dict[str, float]
    fairness: bool
    industry_preference: IndustryPreference


class PairRef(BaseModel):
    mentee_id: UUID
    mentor_id: UUID


class CohortOut(BaseModel):
    """The cohort's pool as matching knows it now."""

    cohort_id: UUID
    name: str | None = Field(description="Null until intake's CohortOpened arrives")
    settings: SettingsOut
    mentees: int
    mentees_waiting: int = Field(description="Mentees without an active pair")
    mentors: int
    free_mentor_places: int
    active_pairs: int
    pins: list[PairRef]
    exclusions: list[PairRef]


class ChoiceOut(BaseModel):
    """A pin or an exclusion just made."""

    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID


# --- runs -----------------------------------------------------------------------------------


class RunSettings(BaseModel):
    weights: dict[str, float]
    fairness: bool
    industry_preference: IndustryPreference


class Objective(BaseModel):
    matched: int
    total_score: float | int
    lowest_score: float | None


class SolverOut(BaseModel):
    method: Literal["exact", "candidates"]
    proven_optimal: bool
    note: str


class ProposalOut(BaseModel):
    mentee_id: UUID
    mentee_name: str
    mentor_id: UUID
    mentor_name: str
    score: float
    explanation: Parts
    pinned: bool


class UnmatchedOut(BaseModel):
    mentee_id: UUID
    reason: str
    code: str
    mentee_name: str


class DroppedPinOut(BaseModel):
    mentee_id: UUID
    mentor_id: UUID
    reason: str


class RunSummary(BaseModel):
    run_id: UUID
    status: RunStatus
    created_at: Timestamp
    approved_at: Timestamp | None
    objective: Objective


class RunOut(BaseModel):
    """A run: its proposals with explanations, unmatched mentees with reasons, what the solver proved."""

    run_id: UUID
    cohort_id: UUID
    status: RunStatus
    created_at: Timestamp
    approved_at: Timestamp | None
    settings: RunSettings
    objective: Objective
    solver: SolverOut
    proposals: list[ProposalOut]
    unmatched: list[UnmatchedOut]
    dropped_pins: list[DroppedPinOut]


# --- pairs ----------------------------------------------------------------------------------


class PairOut(BaseModel):
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    score: float
    explanation: Parts
    matched_at: Timestamp
    ended_on: date | None
    end_reason: str | None
    do_not_rematch: bool
    mentee_name: str | None = Field(default=None, description="In lists of a cohort's pairs")
    mentor_name: str | None = Field(default=None, description="In lists of a cohort's pairs")


class ApprovalOut(BaseModel):
    run_id: UUID
    status: Literal["approved"]
    newly_matched: int = Field(description="0 when the run was approved before")
    pairs: list[PairOut]
