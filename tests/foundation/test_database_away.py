"""The database away or frozen: requests answer 503 with Retry-After within the pool's bounds instead of
a 500 or a hang, /readyz answers in under 2 s, and the service recovers when the database is back
(issue 16). The PostgreSQL here is this module's own, so freezing it disturbs no other test."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from services.matching.app import create_app
from services.matching.settings import MatchingSettings
from shared.embedded.postgres import EmbeddedPostgres
from shared.embedded.scratch import scratch_postgres
from tests.support.services import run_service

STAFF = {"Authorization": "Bearer test-admin-token"}
BOUND_S = 1.0  # the pool's command and acquire timeouts in this test


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[EmbeddedPostgres]:
    with scratch_postgres("mentornet-test-away-", fast_unsafe=True) as server:
        yield server


def _settings(database_url: str, kafka: str, **bounds: float) -> MatchingSettings:
    return MatchingSettings(
        database_url=database_url,
        kafka_bootstrap=kafka,
        topic_prefix=f"t{uuid.uuid4().hex[:10]}.",
        admin_token="test-admin-token",
        session_timeout_ms=1500,
        heartbeat_interval_ms=300,
        relay_poll_interval_s=0.2,
        log_format="json",
        db_pool_max=3,
        db_retry_after_s=7,
        **bounds,
    )


@pytest.fixture
async def matching(own_postgres: EmbeddedPostgres, kafka: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = _settings(
        await own_postgres.create_database(f"matching_{uuid.uuid4().hex[:10]}"),
        kafka,
        db_command_timeout_s=BOUND_S,
        db_acquire_timeout_s=BOUND_S,
    )
    async with run_service(create_app(settings)) as client:
        yield client


def _server_processes(postmaster: int) -> list[int]:
    """The postmaster and every backend and helper it started."""
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return [postmaster, *map(int, children)]


@contextmanager
def frozen(server: EmbeddedPostgres) -> Iterator[None]:
    """SIGSTOP every PostgreSQL process (connections stay open, nothing answers); SIGCONT after."""
    postmaster = int((server.pgdata / "postmaster.pid").read_text().split()[0])
    stopped = _server_processes(postmaster)
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)


async def timed(
    call: asyncio.Future[httpx.Response] | object, budget_s: float
) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = await asyncio.wait_for(call, budget_s)  # type: ignore[arg-type]
    return answer, time.monotonic() - started


def assert_unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "7"
    assert answer.json()["code"] == "unavailable"


async def test_a_frozen_database_is_a_503_within_the_bound_and_readyz_answers_in_2_s(
    own_postgres: EmbeddedPostgres, matching: httpx.AsyncClient
) -> None:
    unknown = f"/v1/cohorts/{uuid.uuid4()}"
    assert (await matching.get(unknown, headers=STAFF)).status_code == 404
    with frozen(own_postgres):
        # a statement on a pooled connection waits at most the command timeout, plus giving it back
        answer, took = await timed(matching.get(unknown, headers=STAFF), 4 * BOUND_S + 2)
        assert_unavailable(answer)
        assert took < 3 * BOUND_S + 1
        ready, took = await timed(matching.get("/readyz"), 5)
        assert ready.status_code == 503 and ready.json()["checks"]["database"] != "ok"
        assert took < 2
        # several at once: the pool's few connections are soon all stuck; the rest wait for one at most
        # the acquire timeout
        answers = await asyncio.wait_for(
            asyncio.gather(*(matching.get(unknown, headers=STAFF) for _ in range(6))), 6 * BOUND_S + 4
        )
        for answer in answers:
            assert_unavailable(answer)
    await asyncio.sleep(0.2)
    answer, _ = await timed(matching.get(unknown, headers=STAFF), 10)
    assert answer.status_code == 404, answer.text  # back: the same request is answered again


async def test_a_stopped_database_is_a_503_at_once_and_the_service_recovers(
    own_postgres: EmbeddedPostgres, matching: httpx.AsyncClient
) -> None:
    unknown = f"/v1/cohorts/{uuid.uuid4()}"
    own_postgres.stop()
    try:
        answer, took = await timed(matching.get(unknown, headers=STAFF), 4 * BOUND_S + 2)
        assert_unavailable(answer)
        assert took < 2 * BOUND_S + 1
        ready, took = await timed(matching.get("/readyz"), 5)
        assert ready.status_code == 503 and took < 2
    finally:
        own_postgres.start()
    answer, _ = await timed(matching.get(unknown, headers=STAFF), 10)
    assert answer.status_code == 404, answer.text


async def test_a_statement_blocked_on_a_lock_is_cancelled_by_the_server_and_answered_503(
    own_postgres: EmbeddedPostgres, kafka: str
) -> None:
    """The client's own bounds are far away here (60 s): only PostgreSQL's statement_timeout (1 s) ends
    the wait, and the transaction-idle timeout ends a transaction a client left open."""
    database_url = await own_postgres.create_database(f"matching_{uuid.uuid4().hex[:10]}")
    settings = _settings(
        database_url,
        kafka,
        db_command_timeout_s=60,
        db_acquire_timeout_s=60,
        db_statement_timeout_s=BOUND_S,
        db_idle_in_transaction_timeout_s=BOUND_S,
    )
    app = create_app(settings)
    unknown = f"/v1/cohorts/{uuid.uuid4()}"
    async with run_service(app) as matching:
        assert (await matching.get(unknown, headers=STAFF)).status_code == 404
        holder = await asyncpg.connect(database_url)
        try:
            async with holder.transaction():
                await holder.execute("LOCK TABLE cohorts IN ACCESS EXCLUSIVE MODE")
                answer, took = await timed(matching.get(unknown, headers=STAFF), 10)
                assert_unavailable(answer)
                assert took < 3 * BOUND_S + 1
        finally:
            await holder.close()
        assert (await matching.get(unknown, headers=STAFF)).status_code == 404  # the lock is gone

        pool: asyncpg.Pool = app.state.runtime.pool
        async with pool.acquire() as conn:
            assert await conn.fetchval("SHOW statement_timeout") == "1s"
            left_open = conn.transaction()
            await left_open.start()
            await asyncio.sleep(2 * BOUND_S + 0.5)
            with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError)):
                await conn.fetchval("SELECT 1")  # the server ended the idle transaction's session
