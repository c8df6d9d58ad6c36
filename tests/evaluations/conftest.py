"""The programme year's tests: one running service per module (real PostgreSQL, real broker)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.intake.app import create_app
from tests.intake.conftest import Intake, intake_settings
from tests.support.backends import Postgres
from tests.support.services import run_service


@pytest.fixture(scope="module")
async def intake(postgres: Postgres, kafka: str) -> AsyncIterator[Intake]:
    settings = await intake_settings(postgres, kafka)
    app = create_app(settings)
    async with run_service(app) as client:
        yield Intake(app, client, settings, app.state.runtime.pool)
