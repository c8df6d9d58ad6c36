"""One running sessions service per test module (fresh database, own topics), for fast API tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from services.sessions.app import create_app
from services.sessions.settings import SessionsSettings
from tests.sessions.support import ADMIN_TOKEN
from tests.support.backends import Postgres
from tests.support.services import run_service


@dataclass
class RunningSessions:
    settings: SessionsSettings
    client: httpx.AsyncClient
    app: object


async def sessions_settings(postgres: Postgres, kafka: str, **overrides: object) -> SessionsSettings:
    """Like the make_settings fixture, for fixtures that live longer than one test."""
    url = await postgres.create_database(f"sessions_{uuid.uuid4().hex[:10]}")
    values: dict[str, object] = {
        "database_url": url,
        "vault_database_url": await postgres.create_database(f"vault_{uuid.uuid4().hex[:10]}"),
        "kafka_bootstrap": kafka,
        "topic_prefix": f"t{uuid.uuid4().hex[:10]}.",
        "session_timeout_ms": 1500,
        "heartbeat_interval_ms": 300,
        "consumer_backoff_s": 0.05,
        "relay_poll_interval_s": 0.2,
        "log_format": "json",
        "db_pool_max": 5,
        "admin_token": ADMIN_TOKEN,
        **overrides,
    }
    return SessionsSettings(**values)


@pytest.fixture(scope="module")
async def running(postgres: Postgres, kafka: str) -> AsyncIterator[RunningSessions]:
    settings = await sessions_settings(postgres, kafka)
    app = create_app(settings)
    async with run_service(app) as client:
        yield RunningSessions(settings, client, app)
