"""A minimal producing and consuming service for the delivery tests, on the real runtime."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from shared.events import Event, ParticipantProfile, ParticipantRegistered
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import INTAKE
from tests.support.events import emit  # noqa: F401 - the shared helper, re-exported

MIGRATIONS = "tests.foundation.migrations"
POISON = "POISON"


class Poisoned(ValueError):
    """Raised by the stand-in projection for a participant named POISON."""


async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    rows = []
    for event in events:
        assert isinstance(event, ParticipantRegistered)
        if event.display_name == POISON:
            raise Poisoned("this participant cannot be projected")
        rows.append((event.participant_id, event.display_name))
    await conn.executemany("INSERT INTO seen_participants VALUES ($1, $2)", rows)


def participant(name: str = "Ada") -> ParticipantRegistered:
    profile = ParticipantProfile(
        leadership_level=3,
        years_experience=8,
        industry="energy",
        function="operations",
        languages=("da", "en"),
        region="Midtjylland",
        meeting_preference="either",
        themes=("strategy",),
    )
    return ParticipantRegistered(
        participant_id=uuid.uuid4(),
        company_id=uuid.uuid4(),
        cohort_id=uuid.uuid4(),
        role="mentee",
        display_name=name,
        profile=profile,
        producer="probe",
    )


def producer(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime(settings, MIGRATIONS)


def consumer(settings: ServiceSettings, **consumption: object) -> ServiceRuntime:
    return ServiceRuntime(
        settings, MIGRATIONS, Consumption(topics=[INTAKE], projection=project, **consumption)
    )


async def seen(runtime: ServiceRuntime) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM seen_participants"))
