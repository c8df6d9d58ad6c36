"""Erasing people: what the other services are told (ParticipantErased, no personal data in it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.intake.domain.participant import PRODUCER, Participant
from shared.events import ParticipantErased

MAX_IDS = 10_000
"""Most people erased by one request (a whole closed cohort fits)."""


class Erasures(BaseModel):
    """Whom to erase: participants' ids (unknown ones are reported, not refused)."""

    model_config = ConfigDict(extra="forbid")

    participant_ids: list[UUID] = Field(min_length=1, max_length=MAX_IDS)


def erase(people: Sequence[Participant], now: datetime) -> list[ParticipantErased]:
    """One ParticipantErased per person not erased already; erasing again changes nothing."""
    return [
        ParticipantErased(
            participant_id=p.participant_id,
            company_id=p.company_id,
            cohort_id=p.registration.cohort_id,
            role=p.registration.role,
            occurred_at=now,
            producer=PRODUCER,
        )
        for p in people
        if p.status != "erased"
    ]


def not_found(asked: Sequence[UUID], found: Sequence[Participant]) -> list[UUID]:
    known = {p.participant_id for p in found}
    return [participant_id for participant_id in dict.fromkeys(asked) if participant_id not in known]
