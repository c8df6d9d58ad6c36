"""Two relays on one database: when the publishing relay's lock connection dies mid-batch, the other
takes over only after that batch, so never two publish at once; publishing goes on."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import asyncpg
from aiokafka import AIOKafkaConsumer

from shared.messaging.relay import POSITION_HEADER
from shared.topics import INTAKE
from tests.foundation.probe_service import emit, participant, producer
from tests.support.services import eventually


class GatedSends:
    """Stands between a relay and its producer: holds every send while the gate is shut."""

    def __init__(self, producer) -> None:
        self._producer = producer
        self.gate = asyncio.Event()
        self.held = asyncio.Event()

    async def send(self, *args, **kwargs):
        if not self.gate.is_set():
            self.held.set()
            await self.gate.wait()
        return await self._producer.send(*args, **kwargs)


async def test_killing_the_lock_connection_mid_batch_never_lets_two_relays_publish(make_settings, kafka):
    settings = await make_settings(service_name="probe", task_restart_backoff_s=0.5)
    first, second = producer(settings), producer(settings)
    async with first.running(), second.running():
        await emit(first, [participant(f"warm{i}") for i in range(3)])
        await eventually(lambda: _unpublished(first), equals=0)
        active, standby = (first, second) if first.relay.lock_pid is not None else (second, first)
        assert standby.relay.lock_pid is None  # one relay holds the lock, the other waits for it

        gated = GatedSends(active.relay._producer)
        active.relay._producer = gated  # test-only hook: the active relay's next batch stalls mid-send
        await emit(active, [participant(f"mid{i}") for i in range(20)])
        await asyncio.wait_for(gated.held.wait(), 10)

        await _terminate(settings.database_url, active.relay.lock_pid)
        await eventually(lambda: standby.relay.lock_pid is not None)  # PostgreSQL freed the lock at once
        await emit(standby, [participant(f"late{i}") for i in range(5)])
        await asyncio.sleep(1.0)  # time enough for a relay that does not wait to publish its batch
        assert await _unpublished(standby) == 25  # the new holder waits for the old holder's batch
        assert _all(await _published(settings, kafka)) == [1, 2, 3]  # nothing new went out meanwhile

        gated.gate.set()  # the old holder's batch goes out and commits; it then finds its lock gone
        await eventually(lambda: _unpublished(standby), equals=0)
        await eventually(lambda: _restarts(active), equals=1)
        await emit(active, [participant(f"after{i}") for i in range(5)])
        await eventually(lambda: _unpublished(standby), equals=0)
        assert active.relay.lock_pid is None and standby.relay.lock_pid is not None
        assert _restarts(standby) == 0

        published = await _published(settings, kafka)
    assert _all(published) == list(range(1, 34))  # every event exactly once: nothing sent twice
    for positions in published.values():
        assert positions == sorted(positions)  # each partition in outbox order


def _all(published: dict[int, list[int]]) -> list[int]:
    return sorted(p for positions in published.values() for p in positions)


def _restarts(runtime) -> float:
    value = runtime.metrics.registry.get_sample_value("mentornet_task_restarts_total", {"task": "relay"})
    return value or 0.0


async def _published(settings, bootstrap: str) -> dict[int, list[int]]:
    """Outbox positions of the records on the topic, per partition in offset order."""
    reader = AIOKafkaConsumer(
        settings.topic(INTAKE.base_name), bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await reader.start()
    by_partition: dict[int, list[int]] = defaultdict(list)
    try:
        for _ in range(3):
            batches = await reader.getmany(timeout_ms=1000)
            for partition, records in batches.items():
                for record in records:
                    by_partition[partition.partition].append(int(dict(record.headers)[POSITION_HEADER]))
    finally:
        await reader.stop()
    return dict(by_partition)


async def _unpublished(runtime) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))


async def _terminate(database_url: str, pid: int | None) -> None:
    assert pid is not None
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()
