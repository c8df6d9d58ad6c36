"""What every service process runs beside its HTTP API: pool, migrations, relay and consumer.

A service's composition root builds one ServiceRuntime and hands it its own pieces: its migrations,
the topics it consumes and its projection. Nothing here knows any service's domain.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker

from shared.db import migrator
from shared.db.pool import create_pool
from shared.messaging import parking
from shared.messaging.consumer import Delivery, EventProcessor, Projection
from shared.messaging.kafka import cluster_id, ensure_topics, make_producer
from shared.messaging.relay import OutboxRelay
from shared.messaging.subscription import subscribe
from shared.metrics import ServiceMetrics
from shared.settings import ServiceSettings
from shared.topics import Topic

log = structlog.get_logger(__name__)


@dataclass
class Consumption:
    """What a service consumes and how it applies it."""

    topics: Sequence[Topic]
    projection: Projection
    group_id: str = ""
    after_db_commit: Callable[[Sequence[Delivery]], Awaitable[None]] | None = None


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    migrations_package: str
    consumption: Consumption | None = None
    metrics: ServiceMetrics = field(init=False)
    pool: asyncpg.Pool = field(init=False)
    producer: AIOKafkaProducer = field(init=False)
    broker: KafkaBroker | None = field(init=False, default=None)
    relay: OutboxRelay = field(init=False)
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.metrics = ServiceMetrics(self.settings.service_name)

    @property
    def group_id(self) -> str:
        chosen = self.consumption.group_id if self.consumption else ""
        return chosen or f"{self.settings.topic_prefix}mentornet-{self.settings.service_name}"

    async def start(self) -> None:
        settings = self.settings
        self.pool = await create_pool(settings.database_url, settings.db_pool_max)
        async with self.pool.acquire() as conn:
            await migrator.apply(
                conn, migrator.service_migrations(settings.service_name, self.migrations_package)
            )
        await ensure_topics(settings)
        self.producer = make_producer(settings)
        await self.producer.start()
        self.relay = OutboxRelay(self.pool, self.producer, settings, self.metrics)
        self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{settings.service_name}-relay"))
        if self.consumption is not None:
            await self._start_consumer(self.consumption)
        log.info("service started", service=settings.service_name, port=settings.http_port)

    async def _start_consumer(self, consumption: Consumption) -> None:
        settings = self.settings
        processor = EventProcessor(
            self.pool,
            consumption.projection,
            self.producer,
            settings,
            self.metrics,
            self.group_id,
            consumption.after_db_commit,
        )
        self.broker = KafkaBroker(
            settings.kafka_bootstrap.split(","),  # a cluster's brokers: FastStream wants a list
            logger=structlog.get_logger("faststream"),
            log_level=logging.DEBUG,
            client_id=f"mentornet-{settings.service_name}",
        )
        topics = [settings.topic(t.base_name) for t in consumption.topics]
        subscribe(self.broker, processor, topics, self.group_id, settings)
        await self.broker.start()

    async def stop(self) -> None:
        if self.broker is not None:
            await self.broker.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.producer.stop()
        await self.pool.close()
        log.info("service stopped", service=self.settings.service_name)

    async def readiness(self) -> dict[str, str]:
        """'ok' or the error, for the database and the broker; and no parked event waiting."""
        checks: dict[str, str] = {}
        try:
            async with self.pool.acquire(timeout=2) as conn:
                parked = await parking.waiting(conn)
            checks["database"] = "ok"
            checks["parked_events"] = parking.readiness(parked)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            checks["database"] = repr(error)
        try:
            await asyncio.wait_for(cluster_id(self.settings), 2)
            checks["broker"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["broker"] = repr(error)
        return checks

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ServiceRuntime]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()
