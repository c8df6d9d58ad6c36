"""/readyz while the broker is away: not ready, answered within 2 s whether the broker is frozen (SIGSTOP)
or gone, and ready again once a broker is back, after the history was sent and read again (issue 9, 16).
The database's side is tests/foundation/test_database_away.py."""

from __future__ import annotations

import os
import signal
import time

import httpx

from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.ports import free_port
from shared.http.app import service_app
from tests.foundation.probe_service import consumer, emit, participant, seen
from tests.support.services import eventually, run_service


async def timed_readiness(client: httpx.AsyncClient) -> tuple[int, dict[str, str], float]:
    started = time.monotonic()
    answer = await client.get("/readyz")
    return answer.status_code, answer.json()["checks"], time.monotonic() - started


async def test_readyz_is_not_ready_within_2_s_while_the_broker_is_frozen_or_gone_and_ready_after(
    make_settings,
):
    broker = EmbeddedKafka(port=free_port())
    broker.start()
    try:
        settings = await make_settings(
            service_name="probe", kafka_bootstrap=broker.bootstrap, task_restart_backoff_s=0.5
        )
        app = service_app(consumer(settings), title="probe", description="a probe service")
        runtime = app.state.runtime
        async with run_service(app) as client:
            await emit(runtime, [participant(f"before{i}") for i in range(5)])
            await eventually(lambda: seen(runtime), equals=5)
            assert (await timed_readiness(client))[0] == 200

            assert broker._process is not None
            os.kill(broker._process.pid, signal.SIGSTOP)  # frozen: connections open, nothing answers
            try:
                status, checks, took = await timed_readiness(client)
            finally:
                os.kill(broker._process.pid, signal.SIGCONT)
            assert status == 503 and checks["broker"] != "ok" and checks["database"] == "ok", checks
            assert took < 2, took
            await eventually(lambda: _status(client), equals=200, timeout_s=30)

            broker._process.kill()  # gone
            broker._process.wait()
            for _ in range(3):
                status, checks, took = await timed_readiness(client)
                assert status == 503 and checks["broker"] != "ok", checks
                assert took < 2, took

            broker.start()  # back on the same port: a new, empty broker
            await eventually(lambda: _status(client), equals=200, timeout_s=60)
            await emit(runtime, [participant("after")])
            await eventually(lambda: seen(runtime), equals=6)
    finally:
        broker.stop()


async def _status(client: httpx.AsyncClient) -> int:
    return (await client.get("/readyz")).status_code
