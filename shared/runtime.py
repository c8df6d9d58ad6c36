"""What every service process runs beside its HTTP API: pool, migrations, relay and consumer.

A service's composition root builds one ServiceRuntime and hands it its own pieces: its migrations,
the topics it consumes and its projection. Nothing here knows any service's domain. The relay, the
consumer and the pruning of processed event ids run as supervised tasks: one that dies is logged,
turns `/readyz` red and is restarted with backoff (shared/supervision.py).

A service that neither produces nor consumes events (`broker=False`: shared/topics.py's `uses_broker`,
the web app) never touches the broker: no topics created, no producer, no relay, no broker readiness
check, and so no broker credentials of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer

from shared.db import migrator
from shared.db.pool import create_pool
from shared.messaging import inbox, parking
from shared.messaging.consumer import Delivery, EventProcessor, Projection
from shared.messaging.kafka import cluster_id, ensure_topics, make_producer
from shared.messaging.rebuild import Clear, RebuildResult, nothing_to_rebuild, rebuild
from shared.messaging.relay import OutboxRelay
from shared.messaging.subscription import ConsumerLoop
from shared.metrics import ServiceMetrics
from shared.privacy.sealing import opening
from shared.privacy.vault import Vault
from shared.settings import ServiceSettings, refuse_unsafe
from shared.supervision import Ready, Supervisor
from shared.topics import Topic

log = structlog.get_logger(__name__)

READINESS_TIMEOUT_S = 1.5
STOP_STEP_TIMEOUT_S = 10.0  # a shutdown step that takes longer is given up on (and the pool terminated)
"""Each readiness check's budget; they run at once, so /readyz answers in under 2 s."""


@dataclass
class Consumption:
    """What a service consumes and how it applies it."""

    topics: Sequence[Topic]
    projection: Projection
    group_id: str = ""
    after_db_commit: Callable[[Sequence[Delivery]], Awaitable[None]] | None = None
    clear: Clear | None = None  # empties the projection tables: what a rebuild starts with


@dataclass(frozen=True)
class Periodic:
    """Housekeeping run every `every_s` seconds as a supervised task (e.g. pruning old records)."""

    name: str
    every_s: float
    job: Callable[[asyncpg.Connection], Awaitable[object]]


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    migrations_package: str
    consumption: Consumption | None = None
    periodic: Sequence[Periodic] = ()
    broker: bool = True  # False: it produces and consumes no events (shared/topics.py's uses_broker)
    metrics: ServiceMetrics = field(init=False)
    pool: asyncpg.Pool = field(init=False)
    producer: AIOKafkaProducer | None = field(init=False, default=None)  # None: no broker
    relay: OutboxRelay | None = field(init=False, default=None)
    consumer: ConsumerLoop | None = field(init=False, default=None)
    supervisor: Supervisor = field(init=False)
    vault: Vault = field(init=False)

    def __post_init__(self) -> None:
        if self.consumption is not None and not self.broker:
            raise ValueError(f"{self.settings.service_name} consumes topics: it needs the broker")
        self.metrics = ServiceMetrics(self.settings.service_name)
        self.vault = Vault(self.settings)
        self.supervisor = Supervisor(
            self.metrics, self.settings.task_restart_backoff_s, self.settings.task_restart_backoff_max_s
        )

    @property
    def group_id(self) -> str:
        chosen = self.consumption.group_id if self.consumption else ""
        return chosen or f"{self.settings.topic_prefix}mentornet-{self.settings.service_name}"

    async def start(self) -> None:
        settings = self.settings
        refuse_unsafe(settings)
        # migrations on a connection of their own: they may wait for another instance's lock and run
        # statements longer than a request may (the pool's command timeout)
        conn = await asyncpg.connect(settings.database_url)
        try:
            await migrator.apply(
                conn, migrator.service_migrations(settings.service_name, self.migrations_package)
            )
        finally:
            await conn.close()
        await self.vault.start()
        self.pool = await create_pool(
            settings.database_url,
            settings.db_pool_max,
            command_timeout_s=settings.db_command_timeout_s,
            acquire_timeout_s=settings.db_acquire_timeout_s,
            statement_timeout_s=settings.db_statement_timeout_s,
            idle_in_transaction_timeout_s=settings.db_idle_in_transaction_timeout_s,
        )
        if self.broker:
            await ensure_topics(settings)
            self.producer = make_producer(settings)
            await self.producer.start()
            relay = OutboxRelay(self.pool, self.producer, settings, self.metrics)
            self.relay = relay
            await self.supervisor.start("relay", lambda ready: self._relay(relay, ready))
        if self.consumption is not None:
            await self._start_consumer(self.consumption, self._producer())
            await self._start_periodic(
                Periodic("pruning", settings.processed_events_prune_every_s, self._prune_processed_events)
            )
        for periodic in self.periodic:
            await self._start_periodic(periodic)
        log.info("service started", service=settings.service_name, port=settings.http_port)

    async def _relay(self, relay: OutboxRelay, ready: Ready) -> None:
        ready()  # waiting for another relay's lock is a healthy state too
        await relay.run(report=ready)

    def _producer(self) -> AIOKafkaProducer:
        if self.producer is None:
            raise RuntimeError(f"{self.settings.service_name} runs without the broker")
        return self.producer

    async def _prune_processed_events(self, conn: asyncpg.Connection) -> int:
        return await inbox.prune(conn, self.settings.processed_events_keep_s)

    async def _start_periodic(self, periodic: Periodic) -> None:
        async def run(ready: Ready) -> None:
            ready()
            while True:
                async with self.pool.acquire() as conn:
                    await periodic.job(conn)
                await asyncio.sleep(periodic.every_s)

        await self.supervisor.start(periodic.name, run)

    async def _start_consumer(self, consumption: Consumption, producer: AIOKafkaProducer) -> None:
        """Starts the supervised consumer; returns once it runs, or raises why its first run failed."""
        settings = self.settings
        processor = EventProcessor(
            self.pool,
            opening(self.vault, consumption.projection),
            producer,
            settings,
            self.metrics,
            self.group_id,
            consumption.after_db_commit,
        )
        topics = [settings.topic(t.base_name) for t in consumption.topics]
        self.consumer = ConsumerLoop(processor, topics, self.group_id, settings)
        try:
            await self.supervisor.start("consumer", self.consumer.run)
        except Exception:
            await self.supervisor.stop()
            raise

    async def stop(self) -> None:
        """Stop tasks, producer and pool, each step bounded: a shutdown must not hang on a request
        still holding a connection or on a database that no longer answers."""
        steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [("tasks", self.supervisor.stop)]
        if self.producer is not None:
            steps.append(("producer", self.producer.stop))
        steps += [("pool", self.pool.close), ("vault", self.vault.stop)]
        for name, step in steps:
            try:
                await asyncio.wait_for(step(), STOP_STEP_TIMEOUT_S)
            except TimeoutError:
                log.warning("stop step given up on", step=name, timeout_s=STOP_STEP_TIMEOUT_S)
                if name == "pool":
                    self.pool.terminate()  # connections still held are closed, not waited for
        log.info("service stopped", service=self.settings.service_name)

    async def rebuild(self) -> RebuildResult:
        """Empty the projections and replay every consumed topic from offset 0, in one transaction."""
        consumption = self.consumption
        if consumption is None:
            return nothing_to_rebuild(self.settings.service_name)
        if consumption.clear is None:
            raise RuntimeError(
                f"{self.settings.service_name} names no wipe of its projections (Consumption.clear)"
            )
        return await rebuild(
            self.pool,
            self.settings,
            self._producer(),
            projection=opening(self.vault, consumption.projection),
            topics=consumption.topics,
            clear=consumption.clear,
            live_group=self.group_id,
        )

    async def outbox_pending(self) -> int:
        """Events written to the outbox and not yet published (by whichever instance holds the relay)."""
        async with self.pool.acquire(timeout=2) as conn:
            pending = int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
        self.metrics.outbox_pending.set(pending)
        return pending

    async def readiness(self) -> dict[str, str]:
        """'ok' or the error, for the database, the broker (when it uses one) and each supervised
        task; and no parked event waiting.

        The database and the broker are asked at once, each within READINESS_TIMEOUT_S: the answer comes
        in under 2 s even when the database is frozen or the broker is away."""
        checks: dict[str, str] = dict(self.supervisor.health())

        async def database() -> None:
            async with self.pool.acquire(timeout=READINESS_TIMEOUT_S) as conn:
                parked = await parking.waiting(conn)
            self.metrics.parked_waiting.set(parked)
            checks["parked_events"] = parking.readiness(parked)

        async def broker() -> None:
            await cluster_id(self.settings)

        async def check(name: str, probe: Callable[[], Awaitable[None]]) -> None:
            try:
                await asyncio.wait_for(probe(), READINESS_TIMEOUT_S)
                checks[name] = "ok"
            except TimeoutError:
                checks[name] = f"no answer within {READINESS_TIMEOUT_S} s"
            except Exception as error:  # noqa: BLE001 - reported, not raised
                checks[name] = repr(error)

        probes = [check("database", database)]
        if self.broker:
            probes.append(check("broker", broker))
        await asyncio.gather(*probes)
        order = [*(name for name in checks if name not in ("database", "parked_events", "broker"))]
        order += ["database", "parked_events", "broker"]
        return {name: checks[name] for name in order if name in checks}

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ServiceRuntime]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()
