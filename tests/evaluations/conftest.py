"""The programme year's tests: one running service per module (real PostgreSQL, real broker)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.intake.app import create_app
from services.sessions.app import create_app as create_sessions
from shared.events import Event, decode
from tests.intake.conftest import Intake, intake_settings
from tests.sessions.conftest import RunningSessions, sessions_settings
from tests.support.backends import Postgres
from tests.support.services import run_service


@pytest.fixture(scope="module")
async def intake(postgres: Postgres, kafka: str) -> AsyncIterator[Intake]:
    settings = await intake_settings(postgres, kafka)
    app = create_app(settings)
    async with run_service(app) as client:
        yield Intake(app, client, settings, app.state.runtime.pool)


@pytest.fixture(scope="module")
async def sessions(postgres: Postgres, kafka: str) -> AsyncIterator[RunningSessions]:
    settings = await sessions_settings(postgres, kafka)
    app = create_sessions(settings)
    async with run_service(app) as client:
        yield RunningSessions(settings, client, app)


async def outbox_events(running: RunningSessions, event_type: str) -> list[Event]:
    """What sessions put in its outbox (its event store) of one type, oldest first."""
    async with running.app.state.runtime.pool.acquire() as conn:  # type: ignore[attr-defined]
        rows = await conn.fetch(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY position", event_type
        )
    return [event for row in rows if (event := decode(bytes(row["payload"]))) is not None]
