"""A small consumer of intake's events on the real runtime: what matching's projection would do.

It keeps the tests independent of matching's code while proving the events travel the real broker.
"""

from __future__ import annotations

import asyncpg

from shared.events import ParticipantProfileUpdated, ParticipantRegistered, ParticipantWithdrawn
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import INTAKE

MIGRATIONS = "tests.intake.probe_migrations"


async def registered(conn: asyncpg.Connection, event: ParticipantRegistered) -> None:
    await conn.execute(
        """INSERT INTO seen_participants (participant_id, cohort_id, role, leadership_level)
           VALUES ($1, $2, $3, $4) ON CONFLICT (participant_id) DO NOTHING""",
        event.participant_id,
        event.cohort_id,
        event.role,
        event.profile.leadership_level,
    )


async def updated(conn: asyncpg.Connection, event: ParticipantProfileUpdated) -> None:
    await conn.execute(
        "UPDATE seen_participants SET leadership_level = $2 WHERE participant_id = $1",
        event.participant_id,
        event.profile.leadership_level,
    )


async def withdrawn(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
    await conn.execute(
        "UPDATE seen_participants SET withdrawn = true WHERE participant_id = $1", event.participant_id
    )


project = Dispatcher(
    {
        ParticipantRegistered: [registered],
        ParticipantProfileUpdated: [updated],
        ParticipantWithdrawn: [withdrawn],
    }
)


def consumer(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime(settings, MIGRATIONS, Consumption(topics=[INTAKE], projection=project))
