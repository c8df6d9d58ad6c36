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
    """A pair ended (early, with staff's reason, or by a member's withdrawal).

    v2: `reason`, staff's free text that may name either member, is sealed under the mentee's key and
    that under the mentor's (`shared.privacy.sealing.seal_nested`): erasing either member shreds it. The
    fixed reason "withdrawn" of a pair ended by a withdrawal is not free text and may travel plain."""

    SCHEMA_VERSION: ClassVar[int] = 2
    AGGREGATE_ID: ClassVar[str] = "pair_id"
    SEALED: ClassVar[dict[str, str]] = {"reason": "mentor_id"}
    pair_id: UUID
    cohort_id: UUID
    mentee_id: UUID
    mentor_id: UUID
    ended_on: date
    reason: str
    do_not_rematch: bool = False
