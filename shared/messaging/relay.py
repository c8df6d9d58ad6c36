"""The outbox relay: publishes stored events in order, and again to a broker that lost them."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer

from shared.events.registry import headers_for
from shared.messaging.kafka import cluster_id
from shared.messaging.outbox import NOTIFY_CHANNEL
from shared.metrics import ServiceMetrics
from shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

_RELAY_LOCK = 0x72656C6179  # "relay": one publishing relay per service database
_BROKER_CHECK_EVERY_S = 5.0


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        settings: ServiceSettings,
        metrics: ServiceMetrics,
    ) -> None:
        self._pool = pool
        self._producer = producer
        self._settings = settings
        self._metrics = metrics
        self._wake = asyncio.Event()
        self._broker_checked_at = 0.0

    async def run(self) -> None:
        """Publish until cancelled; survives broker and database outages by retrying."""
        async with self._pool.acquire() as listener:
            await listener.execute("SELECT pg_advisory_lock($1)", _RELAY_LOCK)
            await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                await self._loop()
            finally:
                await listener.remove_listener(NOTIFY_CHANNEL, self._on_notify)
                await listener.execute("SELECT pg_advisory_unlock($1)", _RELAY_LOCK)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        backoff = 0.1
        while True:
            try:
                if time.monotonic() - self._broker_checked_at > _BROKER_CHECK_EVERY_S:
                    await self.republish_if_broker_changed()
                sent = await self.publish_pending()
                backoff = 0.1
            except Exception as error:  # noqa: BLE001 - broker or database away: keep the events, retry
                log.warning("relay retrying", error=repr(error), backoff_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self._settings.relay_batch_size:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self._settings.relay_poll_interval_s)
                except TimeoutError:
                    pass

    async def publish_pending(self) -> int:
        """Send one batch of unpublished events, wait for the broker's acks, mark them sent."""
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT position, topic, key, event_type, schema_version, payload FROM outbox"
                " WHERE published_at IS NULL ORDER BY position LIMIT $1",
                self._settings.relay_batch_size,
            )
            if not rows:
                self._metrics.outbox_pending.set(0)
                return 0
            deliveries = [
                await self._producer.send(
                    self._settings.topic(row["topic"]),
                    value=bytes(row["payload"]),
                    key=row["key"].encode(),
                    headers=headers_for(row["event_type"], row["schema_version"]),
                )
                for row in rows
            ]
            await asyncio.gather(*deliveries)
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])",
                [row["position"] for row in rows],
            )
        for row in rows:
            self._metrics.published.labels(self._settings.topic(row["topic"])).inc()
        log.debug("relay published", count=len(rows), last_position=rows[-1]["position"])
        return len(rows)

    async def republish_if_broker_changed(self) -> bool:
        """A broker with another cluster id has none of our events: send the whole history again."""
        current = await cluster_id(self._settings)
        self._broker_checked_at = time.monotonic()
        async with self._pool.acquire() as conn, conn.transaction():
            known = await conn.fetchval("SELECT cluster_id FROM relay_state FOR UPDATE")
            if known == current:
                return False
            reset = await conn.execute("UPDATE outbox SET published_at = NULL WHERE published_at IS NOT NULL")
            await conn.execute(
                """INSERT INTO relay_state (cluster_id) VALUES ($1)
                   ON CONFLICT (singleton) DO UPDATE SET cluster_id = $1, updated_at = now()""",
                current,
            )
        count = int(reset.split()[-1])
        if known is not None:
            log.warning("broker changed: republishing history", events=count, cluster_id=current)
        return count > 0
