"""The README's run command, for real: PostgreSQL, the broker and four service processes. Stopping and
starting the whole stack loses nothing and duplicates nothing, and new events flow again."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings
from tests.support.services import eventually
from tests.support.stack_process import participant

ADMIN = {"Authorization": "Bearer stack-test-admin"}
INFRASTRUCTURE = {"outbox", "processed_events", "relay_state", "schema_migrations"}


@pytest.fixture
def stack_settings() -> StackSettings:
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-stack-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    return StackSettings(data_dir=data_dir, admin_token="stack-test-admin", **ports)


async def test_stop_and_start_loses_nothing_duplicates_nothing_and_events_flow_again(stack_settings):
    stack = EmbeddedStack(stack_settings)
    await asyncio.to_thread(stack.start, progress=lambda _: None)
    try:
        intake = f"http://127.0.0.1:{stack_settings.intake_port}"
        async with httpx.AsyncClient(base_url=intake, timeout=10) as client:
            key, cohort = await _programme(client)
            for n in range(4):
                await _register(client, key, cohort, n)
        await eventually(lambda: _people_everywhere(stack), equals=[4, 4, 4], timeout_s=30)
        before = {service: await _projections(stack, service) for service in SERVICES}
        first_broker = stack.kafka.cluster_id
    finally:
        await asyncio.to_thread(stack.stop, progress=lambda _: None)

    stack = EmbeddedStack(stack_settings)
    await asyncio.to_thread(stack.start, progress=lambda _: None)
    try:
        assert stack.kafka.cluster_id != first_broker  # a new, empty broker: everything must be sent again
        intake_events = await _count(stack, "intake", "SELECT count(*) FROM outbox")
        for service in ("matching", "sessions", "reporting"):  # each consumes intake's topic
            await eventually(lambda s=service: _duplicates(stack, s), equals=intake_events, timeout_s=30)
        after = {service: await _projections(stack, service) for service in SERVICES}
        assert after == before

        async with httpx.AsyncClient(base_url=intake, timeout=10) as client:
            await _register(client, key, cohort, 99)
        await eventually(lambda: _people_everywhere(stack), equals=[5, 5, 5], timeout_s=30)
    finally:
        await asyncio.to_thread(stack.stop, progress=lambda _: None)
    _every_log_line_is_json(stack)


def _every_log_line_is_json(stack: EmbeddedStack) -> None:
    """Each process's log file (the services', the broker's, PostgreSQL's) holds JSON lines only."""
    files = [*(stack.settings.data_dir / "logs").glob("*.log*"), stack.postgres.pgdata / "server.log"]
    assert {f.name for f in files} >= {f"{s}.log" for s in SERVICES} | {"broker.log", "server.log"}
    for path in files:
        for line in path.read_text().splitlines():
            try:
                parsed = json.loads(line)
            except ValueError:
                parsed = None
            assert isinstance(parsed, dict), f"{path}: {line!r}"


async def _programme(client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    company = await client.post(
        "/v1/companies",
        headers=ADMIN,
        json={"name": "Nordvind", "hr_contact_name": "Lone", "hr_contact_email": "l@n.dk"},
    )
    company_id = company.json()["company_id"]
    key = (await client.post(f"/v1/companies/{company_id}/api-keys", headers=ADMIN, json={})).json()[
        "api_key"
    ]
    today = date.today()
    window = {
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=9)),
    }
    cohort = await client.post("/v1/cohorts", headers=ADMIN, json={"name": "2027", **window})
    return {"Authorization": f"Bearer {key}"}, cohort.json()["cohort_id"]


async def _register(client: httpx.AsyncClient, key: dict[str, str], cohort: str, n: int) -> None:
    answer = await client.post(
        "/v1/participants",
        headers=key,
        json=participant(cohort, n),
    )
    assert answer.status_code == 201, answer.text


async def _count(stack: EmbeddedStack, service: str, sql: str) -> int:
    conn = await asyncpg.connect(stack.database_url(service))
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def _people_everywhere(stack: EmbeddedStack) -> list[int]:
    return [
        await _count(stack, service, "SELECT count(*) FROM participants")
        for service in ("matching", "sessions", "reporting")
    ]


async def _projections(stack: EmbeddedStack, service: str) -> dict[str, list[tuple]]:
    """Every row of every table the service owns, plus its event store and the ids it has applied."""
    conn = await asyncpg.connect(stack.database_url(service))
    try:
        tables = [
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        snapshot = {
            table: sorted(
                tuple(map(str, row.values())) for row in await conn.fetch(f'SELECT * FROM "{table}"')
            )
            for table in tables
            if table not in INFRASTRUCTURE
        }
        snapshot["outbox"] = sorted(
            str(r["event_id"]) for r in await conn.fetch("SELECT event_id FROM outbox")
        )
        snapshot["processed_events"] = sorted(
            str(r["event_id"]) for r in await conn.fetch("SELECT event_id FROM processed_events")
        )
        return snapshot
    finally:
        await conn.close()


async def _duplicates(stack: EmbeddedStack, service: str) -> int:
    port = getattr(stack.settings, f"{service}_port")
    async with httpx.AsyncClient(timeout=5) as client:
        metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    return int(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith("mentornet_events_duplicate_total") and "mentornet.intake" in line
        )
    )
