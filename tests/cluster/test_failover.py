"""Brokers die; events do not. On the 3-broker cluster (RF 3, min.insync.replicas 2, idempotent producers):
the leader of a partition killed with SIGKILL while the relay publishes under load loses, duplicates and
reorders nothing in the projection; the whole cluster killed and started again keeps its log and its
identity, so the relays send nothing again and the consumers redeliver nothing."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaConsumer

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.events import Event, ParticipantRegistered, decode
from shared.messaging.acls import ADMIN
from shared.messaging.kafka import client_options
from shared.runtime import Consumption, ServiceRuntime
from shared.settings import ServiceSettings
from shared.topics import INTAKE
from tests.cluster.conftest import fully_replicated
from tests.foundation.probe_service import participant
from tests.support.events import emit
from tests.support.services import eventually

MIGRATIONS = "tests.cluster.migrations"


async def record(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    """The projection: every event in the order applied (seq is the event's rank within its key)."""
    rows = []
    for event in events:
        assert isinstance(event, ParticipantRegistered)
        rows.append((event.event_id, event.participant_id, int(event.display_name)))
    await conn.executemany("INSERT INTO arrivals (event_id, key, seq) VALUES ($1, $2, $3)", rows)


def source(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime(settings, MIGRATIONS)


def sink(settings: ServiceSettings) -> ServiceRuntime:
    return ServiceRuntime(settings, MIGRATIONS, Consumption(topics=[INTAKE], projection=record))


def rounds(keys: list[uuid.UUID], per_key: int) -> list[list[Event]]:
    """Round n holds the n-th event of every key: the relay publishes rounds in order."""
    return [
        [participant(str(seq)).model_copy(update={"participant_id": key}) for key in keys]
        for seq in range(per_key)
    ]


async def arrivals(runtime: ServiceRuntime) -> list[asyncpg.Record]:
    async with runtime.pool.acquire() as conn:
        return list(await conn.fetch("SELECT event_id, key, seq FROM arrivals ORDER BY arrival"))


async def count(runtime: ServiceRuntime, sql: str) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval(sql))


def duplicates_seen(runtime: ServiceRuntime) -> float:
    topic = {"topic": runtime.settings.topic(INTAKE.base_name)}
    return runtime.metrics.registry.get_sample_value("mentornet_events_duplicate_total", topic) or 0.0


async def test_killing_a_partition_leader_under_load_loses_duplicates_and_reorders_nothing(
    make_settings, cluster: ApacheKafkaCluster
):
    settings = await make_settings(service_name="probe")
    topic = settings.topic(INTAKE.base_name)
    keys = [uuid.uuid4() for _ in range(30)]
    plan = rounds(keys, per_key=60)
    total = sum(map(len, plan))
    killed_at = len(plan) // 3

    await fully_replicated(cluster, topic)  # a new topic's metadata reaches every broker in a moment
    leader = cluster.metadata([topic]).leaders[topic][0]
    assert leader in (1, 2, 3)
    try:
        async with source(settings).running() as producer, sink(settings).running() as consumer:
            started = time.monotonic()
            for n, batch in enumerate(plan):
                if n == killed_at:
                    published_before = await count(
                        producer, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"
                    )
                    assert 0 < published_before < total  # the relay is mid-way
                    await asyncio.to_thread(cluster.kill_node, leader)
                await emit(producer, batch)
                await asyncio.sleep(0.05)
            await eventually(
                lambda: count(consumer, "SELECT count(*) FROM arrivals"), equals=total, timeout_s=120
            )
            await asyncio.sleep(1)  # anything late would be a duplicate
            elapsed = time.monotonic() - started
            rows = await arrivals(consumer)
            new_leader = cluster.metadata([topic]).leaders[topic][0]
    finally:
        await asyncio.to_thread(cluster.start_node, leader)  # back with its data; the next tests need it

    assert len(rows) == total
    assert {r["event_id"] for r in rows} == {e.event_id for batch in plan for e in batch}  # 0 lost, 0 twice
    order: dict[uuid.UUID, list[int]] = defaultdict(list)
    for r in rows:
        order[r["key"]].append(r["seq"])
    assert all(seqs == list(range(60)) for seqs in order.values())  # order per key kept
    assert new_leader not in (leader, -1)  # the partition moved to a surviving replica
    print(f"{total} events through a leader kill in {elapsed:.1f}s")
    await fully_replicated(cluster, topic)  # the restarted node caught up and is in every ISR again


async def test_a_cluster_killed_and_started_again_keeps_its_log_and_nobody_sends_or_applies_again(
    make_settings, cluster: ApacheKafkaCluster
):
    settings = await make_settings(service_name="probe")
    topic = settings.topic(INTAKE.base_name)
    events = [e for batch in rounds([uuid.uuid4() for _ in range(10)], per_key=10) for e in batch]
    async with source(settings).running() as producer, sink(settings).running() as consumer:
        await emit(producer, events)
        await eventually(lambda: count(consumer, "SELECT count(*) FROM arrivals"), equals=100, timeout_s=60)
        # the consumer can apply a batch before the relay has marked it published: wait for the marks
        await eventually(lambda: _unpublished(producer), equals=0, timeout_s=30)
        published = await _published(producer)
    identity = cluster.cluster_id

    await asyncio.to_thread(cluster.kill)  # every broker and controller at once, no shutdown work
    await asyncio.to_thread(cluster.start)
    assert cluster.cluster_id == identity
    await fully_replicated(cluster, topic)  # leaders elected again (slow on a loaded machine) before reading
    assert sorted(await _log(cluster, topic)) == sorted(str(e.event_id) for e in events)  # kept, once

    async with source(settings).running() as producer, sink(settings).running() as consumer:
        assert not await producer.relay.republish_if_broker_changed()  # same cluster: nothing to resend
        assert await _published(producer) == published
        await emit(producer, [participant("0")])
        await eventually(lambda: count(consumer, "SELECT count(*) FROM arrivals"), equals=101, timeout_s=60)
        assert duplicates_seen(consumer) == 0  # committed offsets survived: nothing redelivered
    assert len(await _log(cluster, topic)) == 101


async def _published(runtime: ServiceRuntime) -> list[tuple[int, object]]:
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT position, published_at FROM outbox ORDER BY position")
    return [(r["position"], r["published_at"]) for r in rows]


async def _unpublished(runtime: ServiceRuntime) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))


async def _log(cluster: ApacheKafkaCluster, topic: str) -> list[str]:
    """Every event id in the topic's log, read from the beginning by a group-less consumer."""
    reader = AIOKafkaConsumer(
        topic,
        **client_options(ServiceSettings(**cluster.client_settings(ADMIN))),
        auto_offset_reset="earliest",
    )
    await reader.start()
    try:
        ids: list[str] = []
        idle = 0
        while idle < 3:
            batches = await reader.getmany(timeout_ms=1000)
            records = [r for batch in batches.values() for r in batch]
            got = [str(e.event_id) for r in records if (e := decode(r.value, r.headers)) is not None]
            ids += got
            idle = 0 if got else idle + 1
        return ids
    finally:
        await reader.stop()
