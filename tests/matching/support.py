"""Feeding matching the way intake does (events through an outbox onto the intake topic) and reading
what matching publishes off its own topic."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from aiokafka import AIOKafkaConsumer

from shared.events import (
    CohortOpened,
    CompanyRegistered,
    Event,
    ParticipantProfile,
    ParticipantRegistered,
    ParticipantWithdrawn,
    decode,
)
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import MATCHING
from tests.support.events import emit  # noqa: F401 - the shared helper, re-exported


def fake_intake(settings: ServiceSettings) -> ServiceRuntime:
    """A runtime with only the shared tables: its outbox and relay publish like intake's."""
    return ServiceRuntime(settings, "tests.matching.migrations")


def staff(settings: ServiceSettings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.admin_token}"}


def cohort_opened(cohort_id: uuid.UUID, name: str = "2027") -> CohortOpened:
    return CohortOpened(
        cohort_id=cohort_id,
        name=name,
        intake_opens_on=date(2027, 1, 1),
        intake_closes_on=date(2027, 2, 1),
        producer="intake",
    )


def company(name: str) -> CompanyRegistered:
    return CompanyRegistered(company_id=uuid.uuid4(), name=name, producer="intake")


def profile(**changes: Any) -> ParticipantProfile:
    values: dict[str, Any] = {
        "leadership_level": 2,
        "years_experience": 6,
        "industry": "energy",
        "function": "operations",
        "languages": ("da",),
        "region": "Midtjylland",
        "meeting_preference": "either",
        "themes": ("strategy",),
    }
    values.update(changes)
    return ParticipantProfile(**values)


def registered(
    cohort_id: uuid.UUID, company_id: uuid.UUID, role: str, name: str, **changes: Any
) -> ParticipantRegistered:
    if role == "mentor":
        changes = {"leadership_level": 4, "years_experience": 20, "capacity": 1, **changes}
    return ParticipantRegistered(
        participant_id=uuid.uuid4(),
        company_id=company_id,
        cohort_id=cohort_id,
        role=role,
        display_name=name,
        profile=profile(**changes),
        producer="intake",
    )


def withdrawn(who: ParticipantRegistered) -> ParticipantWithdrawn:
    return ParticipantWithdrawn(
        participant_id=who.participant_id,
        company_id=who.company_id,
        cohort_id=who.cohort_id,
        role=who.role,
        reason="moved abroad",
        producer="intake",
    )


class MatchingTopic:
    """Every event on matching's topic for this test, read with a plain aiokafka consumer."""

    def __init__(self, bootstrap: str, settings: ServiceSettings) -> None:
        self._consumer = AIOKafkaConsumer(
            settings.topic(MATCHING.base_name), bootstrap_servers=bootstrap, auto_offset_reset="earliest"
        )
        self.events: list[Event] = []

    async def __aenter__(self) -> MatchingTopic:
        await self._consumer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()

    async def read(self) -> list[Event]:
        batches = await self._consumer.getmany(timeout_ms=200)
        for records in batches.values():
            for record in records:
                event = decode(record.value)
                if event is not None:
                    self.events.append(event)
        return self.events

    async def count(self, event_type: str) -> int:
        return sum(e.event_type == event_type for e in await self.read())
