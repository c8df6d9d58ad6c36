"""Sessions logged per second through the sessions API into its store and out through the outbox.

The real sessions app (FastAPI, asyncpg pool, relay, consumer) on an embedded PostgreSQL and broker,
called in-process over ASGI by concurrent clients, each logging as a pair's member with its token.
Measures: pairs projected from PairMatched, tokens issued, sessions logged (201s) and corrected, and
the time until every SessionHeld is on the broker.

    .venv/bin/python -m bench.sessions_logging [--pairs 200] [--per-pair 10] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from aiokafka import AIOKafkaProducer

from services.sessions.app import create_app
from services.sessions.settings import SessionsSettings
from shared.embedded.scratch import scratch_infrastructure
from shared.events import PairMatched, encode
from shared.logging import configure_logging
from shared.topics import MATCHING

ADMIN = "bench-admin-token"
STAFF = {"Authorization": f"Bearer {ADMIN}"}


async def publish_pairs(settings: SessionsSettings, count: int) -> list[PairMatched]:
    pairs = [
        PairMatched(
            pair_id=uuid.uuid4(),
            cohort_id=uuid.uuid4(),
            mentee_id=uuid.uuid4(),
            mentor_id=uuid.uuid4(),
            mentee_company_id=uuid.uuid4(),
            mentor_company_id=uuid.uuid4(),
            score=0.8,
            producer="bench",
            occurred_at=datetime.now(UTC) - timedelta(days=200),
        )  # fmt: skip
        for _ in range(count)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for pair in pairs:
            await producer.send(settings.topic(MATCHING.base_name), encode(pair), key=pair.key.encode())
        await producer.flush()
    finally:
        await producer.stop()
    return pairs


async def in_parallel(jobs: list, concurrency: int) -> float:
    """Run the coroutine factories `concurrency` at a time; the elapsed seconds."""
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            await queue.get_nowait()()

    start = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    return time.perf_counter() - start


async def run(settings: SessionsSettings, pairs_count: int, per_pair: int, concurrency: int) -> None:
    app = create_app(settings)
    zone = ZoneInfo(settings.programme_timezone)
    async with app.state.runtime.running() as runtime:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            start = time.perf_counter()
            pairs = await publish_pairs(settings, pairs_count)
            while True:
                async with runtime.pool.acquire() as conn:
                    if await conn.fetchval("SELECT count(*) FROM pairs") == pairs_count:
                        break
                await asyncio.sleep(0.05)
            projected = time.perf_counter() - start

            tokens: dict[uuid.UUID, str] = {}

            def issue(pair: PairMatched):
                async def job() -> None:
                    answer = await client.post(f"/v1/pairs/{pair.pair_id}/tokens", headers=STAFF)
                    assert answer.status_code == 201, answer.text
                    tokens[pair.pair_id] = answer.json()["tokens"][0]["token"]

                return job

            issuing = await in_parallel([issue(p) for p in pairs], concurrency)

            today = datetime.now(zone).date()
            logged: list[tuple[uuid.UUID, str, dict]] = []

            def log(pair: PairMatched, n: int):
                body = {
                    "held_on": (today - timedelta(days=7 * n + 1)).isoformat(), "start_time": "16:30",
                    "duration_minutes": 90, "format": "in_person", "tools": ["coaching", "advice"], "rating": 4,
                    "notes": "private words " * 20,
                }  # fmt: skip

                async def job() -> None:
                    path = f"/v1/pairs/{pair.pair_id}/sessions"
                    answer = await client.post(
                        path, headers={"Authorization": f"Bearer {tokens[pair.pair_id]}"}, json=body
                    )
                    assert answer.status_code == 201, answer.text
                    logged.append((pair.pair_id, answer.json()["session_id"], body))

                return job

            jobs = [log(p, n) for n in range(per_pair) for p in pairs]
            logging_s = await in_parallel(jobs, concurrency)
            after_last_post = time.perf_counter()
            while True:
                async with runtime.pool.acquire() as conn:
                    if not await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
                        break
                await asyncio.sleep(0.01)
            drained = time.perf_counter() - after_last_post

            def correct(pair_id: uuid.UUID, session_id: str, body: dict):
                async def job() -> None:
                    path = f"/v1/pairs/{pair_id}/sessions/{session_id}"
                    fixed = {**body, "duration_minutes": 75}
                    answer = await client.put(
                        path, headers={"Authorization": f"Bearer {tokens[pair_id]}"}, json=fixed
                    )
                    assert answer.status_code == 200, answer.text

                return job

            correcting = await in_parallel([correct(*entry) for entry in logged], concurrency)

    sessions = pairs_count * per_pair
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"pairs: {pairs_count}, sessions: {sessions}, concurrent clients: {concurrency} (in-process ASGI)")
    print(f"pairs projected from PairMatched:  {pairs_count / projected:>8,.0f} pairs/s")
    print(f"member tokens issued (2 per call): {pairs_count / issuing:>8,.0f} calls/s")
    print(f"sessions logged (201, with notes): {sessions / logging_s:>8,.0f} sessions/s")
    print(f"sessions corrected (200):          {sessions / correcting:>8,.0f} corrections/s")
    print(f"outbox drained after the last 201: {drained * 1000:>8,.0f} ms")


async def main(pairs: int, per_pair: int, concurrency: int) -> None:
    configure_logging("console", "warning")
    with scratch_infrastructure("mentornet-bench-") as (postgres, kafka):
        settings = SessionsSettings(
            database_url=await postgres.create_database("bench_sessions"), kafka_bootstrap=kafka.bootstrap,
            topic_prefix="bench.", session_timeout_ms=1500, heartbeat_interval_ms=300, admin_token=ADMIN,
            log_level="warning", db_pool_max=concurrency,
        )  # fmt: skip
        await run(settings, pairs, per_pair, concurrency)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--per-pair", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.pairs, args.per_pair, args.concurrency))
