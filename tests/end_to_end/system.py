"""The four real services in this test process, each with its own database, all on this test's topics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from tests.support.services import run_service

ADMIN_TOKEN = "staff-token-for-end-to-end"
STAFF = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class System:
    intake: httpx.AsyncClient
    matching: httpx.AsyncClient
    sessions: httpx.AsyncClient
    reporting: httpx.AsyncClient


@asynccontextmanager
async def running_system(make_settings, **intake_settings: object) -> AsyncIterator[System]:
    """`intake_settings` override intake's (e.g. retention_days=0)."""
    apps = {
        "intake": intake_app(await make_settings(IntakeSettings, admin_token=ADMIN_TOKEN, **intake_settings)),
        "matching": matching_app(await make_settings(MatchingSettings, admin_token=ADMIN_TOKEN)),
        "sessions": sessions_app(await make_settings(SessionsSettings, admin_token=ADMIN_TOKEN)),
        "reporting": reporting_app(await make_settings(ReportingSettings, admin_token=ADMIN_TOKEN)),
    }
    async with AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(run_service(app)) for name, app in apps.items()}
        yield System(**clients)
