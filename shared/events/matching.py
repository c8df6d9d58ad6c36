"""Events published by matching: approved pairs and their end."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from shared.events.envelope import Event


class PairMatched(Event):
    AGGREGATE_ID: ClassVar[str] = "pair_id"
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    mentee_company_id: UUID
    mentor_company_id: UUID
    score: float
    explanation: dict[str, float] = {}


class PairEnded(Event):
    AGGREGATE_ID: ClassVar[str] = "pair_id"
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    ended_on: date
    reason: str
    do_not_rematch: bool = False
