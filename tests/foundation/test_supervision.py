"""A relay or consumer task that dies is logged, turns /readyz red and is restarted; events flow again."""

from __future__ import annotations

import asyncpg
import httpx
from structlog.testing import capture_logs

from shared.http.app import service_app
from shared.runtime import Periodic, ServiceRuntime
from tests.foundation.probe_service import MIGRATIONS, consumer, emit, participant, seen
from tests.support.services import eventually, run_service

# The restart backoff is long in these tests so /readyz is surely seen red in between, even when one
# readiness check (database and broker) takes a second or two on a loaded machine.


def probe_app(settings):
    return service_app(consumer(settings), title="probe", description="a probe service")


async def readiness(client: httpx.AsyncClient, wanted: int, timeout_s: float = 20) -> dict[str, str]:
    """Poll /readyz until it answers `wanted`; its checks then."""
    answers: list[httpx.Response] = []

    async def answer() -> int:
        answers.append(await client.get("/readyz"))
        return answers[-1].status_code

    await eventually(answer, equals=wanted, timeout_s=timeout_s, interval_s=0.05)
    checks: dict[str, str] = answers[-1].json()["checks"]
    return checks


async def test_a_relay_whose_lock_connection_is_killed_is_reported_restarted_and_publishes_again(
    make_settings, postgres
):
    settings = await make_settings(service_name="probe", task_restart_backoff_s=5.0)
    app = probe_app(settings)
    runtime = app.state.runtime
    async with run_service(app) as client:
        await emit(runtime, [participant(f"before{i}") for i in range(5)])
        await eventually(lambda: seen(runtime), equals=5)
        checks = await readiness(client, 200)
        assert checks["relay"] == checks["consumer"] == checks["pruning"] == "ok"

        with capture_logs() as logs:
            await _terminate(settings.database_url, runtime.relay.lock_pid)
            checks = await readiness(client, 503)
            assert checks["relay"].startswith("died (RelayLockLost")
            assert checks["database"] == checks["broker"] == checks["consumer"] == "ok"
            await readiness(client, 200)
        died = [entry for entry in logs if entry["event"] == "task died"]
        assert [(entry["task"], entry["log_level"]) for entry in died] == [("relay", "error")]
        assert (
            runtime.metrics.registry.get_sample_value("mentornet_task_restarts_total", {"task": "relay"}) == 1
        )

        await eventually(lambda: runtime.relay.lock_pid is not None)
        await emit(runtime, [participant(f"after{i}") for i in range(5)])
        await eventually(lambda: seen(runtime), equals=10)


async def test_a_consumer_whose_kafka_consumer_stops_is_reported_restarted_and_consumes_again(make_settings):
    settings = await make_settings(service_name="probe", task_restart_backoff_s=5.0)
    app = probe_app(settings)
    runtime = app.state.runtime
    async with run_service(app) as client:
        await emit(runtime, [participant(f"before{i}") for i in range(5)])
        await eventually(lambda: seen(runtime), equals=5)
        first_run = runtime.consumer.subscriber

        with capture_logs() as logs:
            await first_run.consumer.stop()  # its consume loop ends, as on a fatal client error
            checks = await readiness(client, 503)
            assert checks["consumer"].startswith("died (ConsumerStopped")
            assert checks["relay"] == "ok"
            await readiness(client, 200, timeout_s=30)
        assert [entry["task"] for entry in logs if entry["event"] == "task died"] == ["consumer"]
        assert runtime.consumer.subscriber is not first_run

        await emit(runtime, [participant(f"after{i}") for i in range(5)])
        await eventually(lambda: seen(runtime), equals=10)


async def _terminate(database_url: str, pid: int | None) -> None:
    assert pid is not None, "the relay holds no lock"
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()


async def test_a_periodic_job_runs_again_and_again_and_is_restarted_when_it_fails(make_settings):
    settings = await make_settings(service_name="probe", task_restart_backoff_s=0.3)
    runs: list[int] = []

    async def tick(conn) -> None:
        runs.append(await conn.fetchval("SELECT 1"))
        if len(runs) == 3:
            raise RuntimeError("housekeeping failed once")

    runtime = ServiceRuntime(settings, MIGRATIONS, periodic=[Periodic("tick", 0.05, tick)])
    with capture_logs() as logs:
        async with runtime.running():
            await eventually(lambda: len(runs) >= 6)
            assert (await runtime.readiness())["tick"] == "ok"
    assert [(e["task"], e["error"]) for e in logs if e["event"] == "task died"] == [
        ("tick", "RuntimeError('housekeeping failed once')")
    ]
    assert runtime.metrics.registry.get_sample_value("mentornet_task_restarts_total", {"task": "tick"}) == 1
