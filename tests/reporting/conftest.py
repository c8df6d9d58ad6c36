"""One reporting service fed the scripted programme, shared by the read-only tests of this package."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from services.reporting.app import create_app
from services.reporting.settings import ReportingSettings
from tests.reporting.programme import TODAY, Programme, scripted_programme
from tests.reporting.support import publish, reporting_settings, until_applied
from tests.support.backends import Postgres
from tests.support.services import run_service


@dataclass
class Running:
    app: FastAPI
    client: httpx.AsyncClient
    settings: ReportingSettings
    programme: Programme


@pytest.fixture(scope="package")
async def running(postgres: Postgres, kafka: str) -> AsyncIterator[Running]:
    """Reporting, on "today" = 2027-04-15, after the whole scripted programme has been applied."""
    settings = await reporting_settings(postgres, kafka)
    programme = scripted_programme()
    app = create_app(settings, today=lambda: TODAY)
    async with run_service(app) as client:
        await publish(settings, programme.events)
        await until_applied(app.state.runtime.pool, programme.events)
        yield Running(app, client, settings, programme)
