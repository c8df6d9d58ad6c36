"""The outbox relay: publishes stored events in order, and again to a broker that lost them.

One relay publishes per service database: it holds a session advisory lock on one connection, and the
others wait for it. That lock alone is not enough: when its connection dies PostgreSQL frees it at once
while the batch this relay had in flight may still be on its way to the broker. So every batch also runs
in a transaction that holds a second, transaction-scoped lock and first checks that the session lock is
still held by this relay's connection. A relay that just took over waits at that second lock until the
previous holder's batch is committed or rolled back; the previous holder finds its lock gone at its next
batch and stops (`RelayLockLost`), to be restarted as a waiting relay. Never two publishing at once.

Every batch is sent only to the broker the outbox was last published to: the broker's cluster id is
asked before the batch (and again after its acks, before marking it sent). Another id means a new broker
(the embedded one keeps nothing across a restart, or a swapped cluster): the relay creates the topics
there (before anything it sends could make the broker create them with its own partition count), sends
the whole history again, and says "republishing" to /readyz until it is all sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer

from shared.events.registry import headers_for
from shared.messaging.kafka import BrokerIdentity, ensure_topics
from shared.messaging.outbox import NOTIFY_CHANNEL
from shared.metrics import ServiceMetrics
from shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

_RELAY_LOCK = 0x72656C6179  # "relay": one publishing relay per service database
_BATCH_LOCK = _RELAY_LOCK + 1  # held by each publishing transaction, see the module's docstring
_LOCK_WAIT_S = 10 * 365 * 24 * 3600.0
_IDENTITY_TIMEOUT_S = 5.0
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


class BrokerChanged(RuntimeError):
    """The broker is not the one the outbox was published to: its history goes there first."""


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
        self._identity = BrokerIdentity(settings)
        self._report: Callable[[str], None] = lambda _: None
        self._republishing = False
        self._lock_pid: int | None = None  # the backend holding the relay lock for this relay

    @property
    def lock_pid(self) -> int | None:
        """The PostgreSQL backend whose session holds the relay lock, while this relay is the publisher."""
        return self._lock_pid

    @property
    def republishing(self) -> bool:
        """History is being sent again to a new broker and is not all sent yet."""
        return self._republishing

    async def run(self, report: Callable[[str], None] | None = None) -> None:
        """Wait for the relay lock, then publish until cancelled; survives broker and database outages
        by retrying, and raises RelayLockLost when the lock's connection dies (to be run again).
        `report("ok")` while all is sent, `report(why not)` while history is being republished."""
        if report is not None:
            self._report = report
        if self._republishing:
            self._report("republishing history to a new broker")
        try:
            await self._run()
        finally:
            await self._identity.close()

    async def _run(self) -> None:
        async with self._pool.acquire() as listener:
            # waiting for another relay's lock may take for ever: not bound by the pool's command timeout
            # nor the server's statement_timeout (reset to the pool's when the connection goes back)
            await listener.execute("SET statement_timeout = 0")
            await listener.execute("SELECT pg_advisory_lock($1)", _RELAY_LOCK, timeout=_LOCK_WAIT_S)
            await listener.execute("RESET statement_timeout")
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
            # cleared before looking, not after: an event committed while a batch is being published
            # wakes the next wait at once instead of waiting out the poll interval
            self._wake.clear()
            try:
                sent = await self.publish_pending()
                backoff = 0.1
            except BrokerChanged:
                await self.republish_if_broker_changed()
                continue
            except RelayLockLost:
                raise
            except Exception as error:  # noqa: BLE001 - broker or database away: keep the events, retry
                log.warning("relay retrying", error=repr(error), backoff_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self._settings.relay_batch_size:
                if self._republishing:
                    self._republishing = False
                    log.warning("history republished to the new broker")
                    self._report("ok")
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

    async def _broker(self) -> str:
        return await asyncio.wait_for(self._identity.current(), _IDENTITY_TIMEOUT_S)

    async def publish_pending(self) -> int:
        """Send one batch of unpublished events, wait for the broker's acks, mark them sent. Raises
        BrokerChanged, sending nothing or marking nothing, when the broker is not the known one."""
        async with self._pool.acquire() as conn, conn.transaction():
            await self._still_the_publisher(conn)
            known = await conn.fetchval("SELECT cluster_id FROM relay_state")
            if await self._broker() != known:
                raise BrokerChanged(f"the broker is not {known}")
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
            if await self._broker() != known:  # swapped while this batch was on its way
                raise BrokerChanged(f"the broker is no longer {known}")
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])",
                [row["position"] for row in rows],
            )
        for row in rows:
            self._metrics.published.labels(self._settings.topic(row["topic"])).inc()
        log.debug("relay published", count=len(rows), last_position=rows[-1]["position"])
        return len(rows)

    async def republish_if_broker_changed(self) -> bool:
        """A broker with another cluster id has none of our events: create the topics there, then
        mark the whole history to be sent again. Returns whether there is history to send."""
        current = await self._broker()
        async with self._pool.acquire() as conn:
            known = await conn.fetchval("SELECT cluster_id FROM relay_state")
        if known == current:
            return False
        await ensure_topics(self._settings)  # before any send can make the broker create one its own way
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
            if count:
                self._republishing = True
                self._report(f"republishing {count} events to a new broker (cluster {current})")
        return count > 0
