"""Rebuild: empty a service's projections and replay the topics it consumes from offset 0, in one
transaction, while the service runs.

Readers keep the old rows until the rebuild commits and then see the new ones at once. The live
consumer waits at its next write (the rebuild holds processed_events in EXCLUSIVE mode) and, once the
rebuild commits, finds what the replay applied recorded as processed. Each service names its wipe
(`Consumption.clear`); a service that consumes nothing has nothing to rebuild and says so.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import cast

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict

from shared.messaging.consumer import EventProcessor, Projection
from shared.messaging.kafka import admin_client, client_options
from shared.metrics import ServiceMetrics
from shared.settings import ServiceSettings
from shared.topics import Topic

log = structlog.get_logger(__name__)

Clear = Callable[[asyncpg.Connection], Awaitable[None]]
"""A service's wipe of its projection tables, run first inside the rebuild's transaction."""


class RebuildResult(BaseModel):
    """What a rebuild read and did with it (also the answer of the rebuild endpoint)."""

    model_config = ConfigDict(frozen=True)

    read: int
    applied: int
    duplicates: int
    skipped: int
    dead_lettered: int
    seconds: float
    note: str | None = None  # e.g. why there was nothing to rebuild


def nothing_to_rebuild(service: str) -> RebuildResult:
    return RebuildResult(
        read=0,
        applied=0,
        duplicates=0,
        skipped=0,
        dead_lettered=0,
        seconds=0.0,
        note=f"{service} consumes no topic: its state is its own, there is nothing to rebuild",
    )


class _LentConnection:
    """EventProcessor borrows connections from a pool; the rebuild lends it the one holding its
    transaction, so each batch becomes a savepoint inside the rebuild."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self._conn


async def rebuild(
    pool: asyncpg.Pool,
    settings: ServiceSettings,
    dead_letters: AIOKafkaProducer,
    *,
    projection: Projection,
    topics: Sequence[Topic],
    clear: Clear,
    live_group: str,
) -> RebuildResult:
    """Replay every record of `topics` through `projection` into freshly cleared tables, in one transaction."""
    started = time.monotonic()
    metrics = ServiceMetrics(settings.service_name)
    log.info("rebuild started", topics=[t.base_name for t in topics])
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("LOCK TABLE processed_events IN EXCLUSIVE MODE")
        await conn.execute("DELETE FROM processed_events")
        await clear(conn)
        processor = EventProcessor(
            cast(asyncpg.Pool, _LentConnection(conn)),
            projection,
            dead_letters,
            settings,
            metrics,
            f"{live_group}-rebuild",
            replays_for=live_group,
        )
        read = await _replay(settings, processor, topics, live_group)
    result = RebuildResult(
        read=read,
        applied=_total(metrics.consumed),
        duplicates=_total(metrics.duplicates),
        skipped=_total(metrics.skipped),
        dead_lettered=_total(metrics.dead_lettered),
        seconds=round(time.monotonic() - started, 3),
    )
    log.info("rebuild finished", **result.model_dump(exclude_none=True))
    return result


async def _replay(
    settings: ServiceSettings, processor: EventProcessor, topics: Sequence[Topic], live_group: str
) -> int:
    """Feed every record of every consumed topic to `processor`, from offset 0 to the end.

    The end is where each partition's position has passed both the end offset the broker reported
    when the replay started and the live consumer group's committed offset, and a poll then waits
    `rebuild_idle_ms` without a record. Passing the group's offset is what makes the rebuild complete:
    the live consumer applies everything after it itself once the rebuild commits, so between the two
    nothing is missed, even where the broker's end offsets are only approximate (the embedded broker
    reports the start of its last batch).
    """
    partitions = [
        TopicPartition(settings.topic(topic.base_name), partition)
        for topic in topics
        for partition in range(topic.partitions)
    ]
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        client_id=f"mentornet-{settings.service_name}-rebuild",
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        read = 0
        while True:
            batches = await consumer.getmany(
                timeout_ms=settings.rebuild_idle_ms, max_records=settings.consumer_batch_size
            )
            records = [record for tp in partitions for record in batches.get(tp, [])]
            if records:
                await processor.process(records)
                read += len(records)
                continue
            applied_live = await committed_offsets(settings, live_group, partitions)
            positions = [await consumer.position(tp) for tp in partitions]
            if all(
                position >= max(ends[tp], applied_live.get(tp, 0))
                for position, tp in zip(positions, partitions, strict=True)
            ):
                return read
    finally:
        await consumer.stop()


async def committed_offsets(
    settings: ServiceSettings, group: str, partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int]:
    """Where a consumer group has committed (partitions named: the embedded broker needs them)."""
    admin = admin_client(settings)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group, partitions=list(partitions))
    finally:
        await admin.close()
    return {tp: meta.offset for tp, meta in committed.items() if meta is not None and meta.offset >= 0}


def _total(counter: Counter) -> int:
    return int(
        sum(
            sample.value
            for metric in counter.collect()
            for sample in metric.samples
            if sample.name.endswith("_total")
        )
    )
