"""One running intake service per test module (real PostgreSQL, real broker), shared by its tests.

Each test makes its own companies and cohorts, so tests in a module do not see each other's data.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.intake.app import create_app
from services.intake.service_layer.clock import today
from services.intake.settings import IntakeSettings
from shared.events import Event, decode
from shared.privacy.sealing import open_events
from tests.support.backends import Postgres
from tests.support.services import run_service

ADMIN = {"Authorization": "Bearer test-admin-token"}


async def intake_settings(postgres: Postgres, kafka: str, **overrides: Any) -> IntakeSettings:
    values: dict[str, Any] = {
        "database_url": await postgres.create_database(f"intake_{uuid.uuid4().hex[:10]}"),
        "vault_database_url": await postgres.create_database(f"vault_{uuid.uuid4().hex[:10]}"),
        "kafka_bootstrap": kafka,
        "topic_prefix": f"t{uuid.uuid4().hex[:10]}.",
        "admin_token": "test-admin-token",
        "session_timeout_ms": 1500,
        "heartbeat_interval_ms": 300,
        "relay_poll_interval_s": 0.2,
        "log_format": "json",
        "db_pool_max": 5,
        **overrides,
    }
    return IntakeSettings(**values)


@dataclass(frozen=True)
class Company:
    company_id: str
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class Intake:
    app: FastAPI
    client: httpx.AsyncClient
    settings: IntakeSettings
    pool: Any

    def today(self) -> date:
        return today(self.settings.programme_timezone)

    async def company(self, name: str | None = None) -> Company:
        body = {
            "name": name or f"Company {uuid.uuid4().hex[:8]}",
            "hr_contact_name": "Lone Holm",
            "hr_contact_email": "hr@example.com",
        }
        created = await self.client.post("/v1/companies", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        company_id = created.json()["company_id"]
        issued = await self.client.post(
            f"/v1/companies/{company_id}/api-keys", json={"label": "test"}, headers=ADMIN
        )
        assert issued.status_code == 201, issued.text
        return Company(company_id, issued.json()["api_key"])

    async def cohort(self, opens_in_days: int = -10, closes_in_days: int = 30) -> str:
        body = {
            "name": f"Cohort {uuid.uuid4().hex[:8]}",
            "intake_opens_on": (self.today() + timedelta(days=opens_in_days)).isoformat(),
            "intake_closes_on": (self.today() + timedelta(days=closes_in_days)).isoformat(),
        }
        created = await self.client.post("/v1/cohorts", json=body, headers=ADMIN)
        assert created.status_code == 201, created.text
        return created.json()["cohort_id"]

    async def events(self, event_type: str | None = None, opened: bool = True) -> list[Event]:
        """Everything intake has put in its outbox (its event store), oldest first; personal values
        opened as a consumer reads them (`opened=False`: sealed, as stored)."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT payload FROM outbox WHERE $1::text IS NULL OR event_type = $1 ORDER BY position",
                event_type,
            )
            stored = [event for row in rows if (event := decode(bytes(row["payload"]))) is not None]
            return await open_events(conn, self.app.state.runtime.vault, stored) if opened else stored

    async def count(self, sql: str, *args: Any) -> int:
        async with self.pool.acquire() as conn:
            return int(await conn.fetchval(sql, *args))

    async def state(self) -> tuple[int, int, int]:
        """(participants, outbox events, idempotency records): what a refused request must not change."""
        async with self.pool.acquire() as conn:
            return tuple(  # type: ignore[return-value]
                [
                    int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
                    for table in ("participants", "outbox", "idempotency_keys")
                ]
            )


@pytest.fixture(scope="module")
async def intake(postgres: Postgres, kafka: str) -> AsyncIterator[Intake]:
    settings = await intake_settings(postgres, kafka)
    app = create_app(settings)
    async with run_service(app) as client:
        yield Intake(app, client, settings, app.state.runtime.pool)
