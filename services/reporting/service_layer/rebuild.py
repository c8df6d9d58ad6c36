"""Rebuild: empty reporting's projections and replay every topic from the beginning.

It all happens in one database transaction. Dashboards keep reading the old figures until it commits
and then see the new ones at once; the live consumer (if the service is running) waits at its next
write and, once the rebuild commits, finds what the replay already applied recorded as processed.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict

from services.reporting.settings import ReportingSettings
from services.reporting.store.rebuild import clear_for_rebuild
from shared.messaging.consumer import EventProcessor, Projection
from shared.metrics import ServiceMetrics
from shared.topics import consumed_by

log = structlog.get_logger(__name__)

CONSUMED = tuple(consumed_by("reporting"))


class RebuildResult(BaseModel):
    """What a rebuild read and did with it (also the answer of `POST /api/rebuild`)."""

    model_config = ConfigDict(frozen=True)

    read: int
    applied: int
    duplicates: int
    skipped: int
    dead_lettered: int
    seconds: float


class _LentConnection:
    """EventProcessor borrows connections from a pool; the rebuild lends it the one holding its
    transaction, so each batch becomes a savepoint inside the rebuild."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self._conn


async def rebuild(
    pool: asyncpg.Pool, settings: ReportingSettings, dead_letters: AIOKafkaProducer, project: Projection
) -> RebuildResult:
    """Replay every consumed topic through `project` (the service's own projection) in one transaction."""
    started = time.monotonic()
    metrics = ServiceMetrics(settings.service_name)
    group = f"{settings.topic_prefix}mentornet-{settings.service_name}-rebuild"
    log.info("rebuild started")
    async with pool.acquire() as conn, conn.transaction():
        await clear_for_rebuild(conn)
        processor = EventProcessor(
            cast(asyncpg.Pool, _LentConnection(conn)), project, dead_letters, settings, metrics, group
        )
        read = await _replay(settings, processor)
    result = RebuildResult(
        read=read,
        applied=_total(metrics.consumed),
        duplicates=_total(metrics.duplicates),
        skipped=_total(metrics.skipped),
        dead_lettered=_total(metrics.dead_lettered),
        seconds=round(time.monotonic() - started, 3),
    )
    log.info("rebuild finished", **result.model_dump())
    return result


async def _replay(settings: ReportingSettings, processor: EventProcessor) -> int:
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
        for topic in CONSUMED
        for partition in range(topic.partitions)
    ]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
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
            applied_live = await live_offsets(settings, partitions)
            positions = [await consumer.position(tp) for tp in partitions]
            if all(
                position >= max(ends[tp], applied_live.get(tp, 0))
                for position, tp in zip(positions, partitions, strict=True)
            ):
                return read
    finally:
        await consumer.stop()


def live_group(settings: ReportingSettings) -> str:
    """The consumer group of the running service (as ServiceRuntime names it)."""
    return f"{settings.topic_prefix}mentornet-{settings.service_name}"


async def live_offsets(
    settings: ReportingSettings, partitions: list[TopicPartition]
) -> dict[TopicPartition, int]:
    """Where the live consumer group has committed: what the running service has already applied."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(live_group(settings), partitions=partitions)
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
