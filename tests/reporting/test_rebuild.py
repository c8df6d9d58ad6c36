"""Rebuild: emptying the projections and replaying every topic gives exactly what incremental
processing built, while the service keeps running and consuming."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import TopicPartition

from services.reporting.app import create_app
from services.reporting.service_layer.rebuild import CONSUMED, live_offsets
from services.reporting.settings import ReportingSettings
from services.reporting.store import rebuild as store
from shared.events import SessionHeld
from tests.reporting.programme import KEYS, TODAY, Programme, at, scripted_programme
from tests.reporting.support import ADMIN, auth, processed, publish, summary, until_applied
from tests.support.services import eventually, run_service

CLI = Path(sys.executable).parent / "mentornet-reporting"


async def snapshot(client: httpx.AsyncClient, pool: asyncpg.Pool, programme: Programme) -> dict[str, Any]:
    """Every figure of every view of every cohort, and every projection row."""
    figures: dict[str, Any] = {}
    for cohort in (programme.cohort_id, programme.cohort_2026_id):
        figures[f"staff {cohort}"] = (
            await client.get(f"/api/programme/cohorts/{cohort}", headers=auth(ADMIN))
        ).json()
        for code, key in KEYS.items():
            response = await client.get(f"/api/company/cohorts/{cohort}", headers=auth(key))
            figures[f"{code} {cohort}"] = (response.status_code, response.json())
    async with pool.acquire() as conn:
        for table in store.PROJECTION_TABLES:
            figures[table] = [
                tuple(r.values()) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1")
            ]
        figures["processed"] = sorted(r[0] for r in await conn.fetch("SELECT event_id FROM processed_events"))
    return figures


async def run_cli(settings: ReportingSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {f"MENTORNET_{k.upper()}": str(v) for k, v in settings.model_dump().items()}
    return await asyncio.to_thread(
        subprocess.run, [str(CLI), *args], env=env, capture_output=True, text=True, timeout=120
    )


async def _sum_committed(settings: ReportingSettings, partitions: list[TopicPartition]) -> int:
    return sum((await live_offsets(settings, partitions)).values())


def late_session(programme: Programme) -> SessionHeld:
    day = date(2027, 4, 12)
    return SessionHeld(
        session_id=uuid.uuid4(),
        pair_id=programme.pair("P7"),
        cohort_id=programme.cohort_id,
        held_on=day,
        started_at=at(day, 16),
        duration_minutes=60,
        format="online",
        tools=("advice",),
        logged_by="mentor",
        version=1,
        occurred_at=at(day, 18),
    )


async def test_rebuild_equals_incremental_while_the_service_runs(make_settings):
    settings = await make_settings(ReportingSettings, admin_token=ADMIN, rebuild_idle_ms=500)
    programme = scripted_programme()
    app = create_app(settings, today=lambda: TODAY)
    pool_of = lambda: app.state.runtime.pool  # noqa: E731
    async with run_service(app) as client:
        await publish(settings, programme.events)
        await publish(settings, programme.events[:20])  # history sent again, as after a broker restart
        await until_applied(pool_of(), programme.events)
        incremental = await snapshot(client, pool_of(), programme)
        assert summary(incremental[f"staff {programme.cohort_id}"])["sessions"] == 9

        async with pool_of().acquire() as conn:  # damage the projections: a rebuild must repair them
            await conn.execute(
                "DELETE FROM sessions; DELETE FROM companies; UPDATE pairs SET ended_on = NULL"
            )
        assert await snapshot(client, pool_of(), programme) != incremental

        # the rebuild reads at least as far as the live consumer has committed: here, every record
        partitions = [
            TopicPartition(settings.topic(t.base_name), n) for t in CONSUMED for n in range(t.partitions)
        ]
        committed = await eventually(lambda: _sum_committed(settings, partitions), equals=71, timeout_s=30)
        assert committed == 71

        done = await run_cli(settings, "rebuild")
        assert done.returncode == 0, done.stderr
        assert "rebuilt from 71 records: 51 events applied, 20 duplicates" in done.stderr
        assert await snapshot(client, pool_of(), programme) == incremental

        # the live consumer carries on after the rebuild
        extra = late_session(programme)
        await publish(settings, [extra])
        await eventually(lambda: processed(pool_of()), equals=52, timeout_s=30)
        grown = await snapshot(client, pool_of(), programme)
        assert summary(grown[f"staff {programme.cohort_id}"])["sessions"] == 10

        # the staff endpoint runs the same rebuild
        assert (await client.post("/api/rebuild", headers=auth(KEYS["A"]))).status_code == 403
        response = await client.post("/api/rebuild", headers=auth(ADMIN))
        assert response.status_code == 200, response.text
        assert response.json() | {"seconds": 0} == {
            "read": 72,
            "applied": 52,
            "duplicates": 20,
            "skipped": 0,
            "dead_lettered": 0,
            "seconds": 0,
        }
        assert await snapshot(client, pool_of(), programme) == grown


async def test_dashboards_keep_the_old_figures_until_a_rebuild_commits(make_settings):
    settings = await make_settings(ReportingSettings, admin_token=ADMIN)
    programme = scripted_programme()
    app = create_app(settings, today=lambda: TODAY)
    async with run_service(app) as client:
        await publish(settings, programme.events)
        await until_applied(app.state.runtime.pool, programme.events)
        url = f"/api/programme/cohorts/{programme.cohort_id}"
        before = (await client.get(url, headers=auth(ADMIN))).json()
        conn = await asyncpg.connect(settings.database_url)
        try:
            rebuilding = conn.transaction()
            await rebuilding.start()
            await store.clear_for_rebuild(conn)  # emptied, not yet committed
            during = (await client.get(url, headers=auth(ADMIN))).json()
            await rebuilding.rollback()
        finally:
            await conn.close()
        assert during == before
        assert summary(during)["sessions"] == 9
