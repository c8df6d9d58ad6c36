"""The outbox relay: publishes stored events in order, and again to a broker that lost them.

One relay publishes per service database: it holds a session advisory lock on one connection, and the
others wait for it. That lock alone is not enough: when its connection dies PostgreSQL frees it at once
while the batch this relay had in flight may still be on its way to the broker. So every batch also runs
in a transaction that holds a second, transaction-scoped lock and first checks that the session lock is
still held by this relay's connection. A relay that just took over waits at that second lock until the
previous holder's batch is committed or rolled back; the previous holder finds its lock gone at its next
batch and stops (`RelayLockLost`), to be restarted as a waiting relay. Never two publishing at once.
"""

from __future__ import annotations

import asyncio
import contextlib
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
_BATCH_LOCK = _RELAY_LOCK + 1  # held by each publishing transaction, see the module's docstring
_BROKER_CHECK_EVERY_S = 5.0
_LOCK_WAIT_S = 10 * 365 * 24 * 3600.0
# Does this backend still hold the session lock? (a bigint advisory key is classid:objid, objsubid 1)
_HOLDS_RELAY_LOCK = """SELECT EXISTS (
    SELECT 1 FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid = $1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND ((classid::bigint << 32) | objid::bigint) = $2)"""
# Where a consumer can tell a re-sent event from a new one: see shared/messaging/consumer.py
POSITION_HEADER = "x-outbox-position"
PRODUCER_HEADER = "x-producer"


class RelayLockLost(RuntimeError):
    """The connection holding the relay lock died: another relay may publish now, so this one stops."""


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
        self._lock_pid: int | None = None  # the backend holding the relay lock for this relay

    @property
    def lock_pid(self) -> int | None:
        """The PostgreSQL backend whose session holds the relay lock, while this relay is the publisher."""
        return self._lock_pid

    async def run(self) -> None:
        """Wait for the relay lock, then publish until cancelled; survives broker and database outages
        by retrying, and raises RelayLockLost when the lock's connection dies (to be run again)."""
        async with self._pool.acquire() as listener:
            # waiting for another relay's lock may take for ever: not bound by the pool's command timeout
            await listener.execute("SELECT pg_advisory_lock($1)", _RELAY_LOCK, timeout=_LOCK_WAIT_S)
            self._lock_pid = listener.get_server_pid()
            log.info("relay holds the publishing lock", backend_pid=self._lock_pid)
            await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
            try:
                await self._loop()
            finally:
                self._lock_pid = None
                with contextlib.suppress(Exception):  # a dead connection has let go of both already
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
            except RelayLockLost:
                raise
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

    async def _still_the_publisher(self, conn: asyncpg.Connection) -> None:
        """Inside a publishing transaction: wait out a previous holder's batch, then check our lock."""
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _BATCH_LOCK)
        pid = self._lock_pid
        if pid is None or not await conn.fetchval(_HOLDS_RELAY_LOCK, pid, _RELAY_LOCK):
            log.error("relay lost its lock connection: stopping publishing", backend_pid=pid)
            raise RelayLockLost(f"the relay lock held by backend {pid} is gone")

    async def publish_pending(self) -> int:
        """Send one batch of unpublished events, wait for the broker's acks, mark them sent."""
        async with self._pool.acquire() as conn, conn.transaction():
            await self._still_the_publisher(conn)
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
                    headers=[
                        *headers_for(row["event_type"], row["schema_version"]),
                        (PRODUCER_HEADER, self._settings.service_name.encode()),
                        (POSITION_HEADER, str(row["position"]).encode()),
                    ],
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
            await self._still_the_publisher(conn)
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
