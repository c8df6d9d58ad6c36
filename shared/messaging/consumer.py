"""The idempotent consumer: apply a batch in one transaction with its event ids, then commit offsets.

A message that keeps failing is sent to the dead-letter topic with its error, so the partition keeps
moving. An event of a newer schema version than this code understands is parked (shared/messaging/
parking.py) until an upgrade and a replay. Database or broker outages are not the message's fault:
those are retried until they pass.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError

from shared.events import Event, UndecodableEvent
from shared.events.registry import NewerSchemaVersion, read_event
from shared.messaging import inbox, parking
from shared.messaging.reasons import InOwnWords, loggable
from shared.metrics import ServiceMetrics
from shared.settings import ServiceSettings
from shared.topics import DEAD_LETTER, PARKED, home_topic

log = structlog.get_logger(__name__)

Projection = Callable[[asyncpg.Connection, Sequence[Event]], Awaitable[None]]

REPLAY_FOR_GROUP = "x-replay-for-group"
"""On a dead letter sent back to its topic (`mentornet dead-letters replay`): the one consumer group that
failed it and applies it now; every other group has applied it already and passes it by."""

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    KafkaConnectionError,
    KafkaTimeoutError,
)


_CHUNK = 500  # events whose database work overlaps the decoding of the next ones
_SLICE = 100  # events decoded between two yields to the event loop

T = TypeVar("T")


class EventFromAnotherTopic(InOwnWords):
    """An event type that its producer never writes to the topic it arrived on: forged or misrouted."""

    def __init__(self, event: Event, producer: str, arrived_on: str) -> None:
        super().__init__(f"{event.event_type} is {producer}'s event and arrived on {arrived_on}")
        self.event_type = event.event_type
        self.event_id = event.event_id


@dataclass(frozen=True)
class Delivery:
    record: ConsumerRecord
    event: Event


@dataclass
class _Tally:
    """What a batch did, counted while it runs and published to the metrics once it committed."""

    applied: Counter[str] = field(default_factory=Counter)
    repeated: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def publish(self, metrics: ServiceMetrics) -> None:
        for counter, counts in (
            (metrics.consumed, self.applied),
            (metrics.duplicates, self.repeated),
            (metrics.skipped, self.skipped),
        ):
            for topic, count in counts.items():
                counter.labels(topic).inc(count)


def _header(record: ConsumerRecord, name: str) -> bytes | None:
    return next((value for key, value in record.headers or () if key == name), None)


class EventProcessor:
    """Turns batches of broker records into projection changes, exactly once in effect."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        dead_letters: AIOKafkaProducer,
        settings: ServiceSettings,
        metrics: ServiceMetrics,
        group_id: str,
        after_db_commit: Callable[[Sequence[Delivery]], Awaitable[None]] | None = None,
        replays_for: str | None = None,
    ) -> None:
        self._pool = pool
        self._replays_for = (replays_for or group_id).encode()  # a rebuild applies its service's replays
        self._projection = projection
        self._dead_letters = dead_letters
        self._settings = settings
        self._metrics = metrics
        self._group_id = group_id
        self._after_db_commit = after_db_commit
        self._parked_waiting = True  # until the first batch has looked

    async def process(
        self, records: Sequence[ConsumerRecord], consumer: AIOKafkaConsumer | None = None
    ) -> None:
        """Apply every record; returns only when each one is applied, skipped, parked or dead-lettered."""
        try:
            poison = await self._until_infrastructure_answers(lambda: self._apply(records))
        except Exception:  # noqa: BLE001 - one of them is poison: find it, apply the rest
            log.warning("batch failed, applying one by one", size=len(records))
            for record in records:
                await self._apply_one_or_dead_letter(record)
            poison = []
        for record, error in poison:
            await self._set_aside(record, error)
        if consumer is not None:
            self._record_lag(records, consumer)

    async def _apply(self, records: Sequence[ConsumerRecord]) -> list[tuple[ConsumerRecord, Exception]]:
        """One transaction for the batch; returns the records set aside: poison, or newer than this code.

        Decoding is Python's work and applying is PostgreSQL's: while the database applies one chunk,
        the next chunk is decoded, yielding to the event loop now and then so the database work moves on.
        """
        poison: list[tuple[ConsumerRecord, Exception]] = []
        applied: list[Delivery] = []
        tally = _Tally()
        async with self._pool.acquire() as conn, conn.transaction():
            pending: asyncio.Future[None] | None = None
            try:
                for start in range(0, len(records), _CHUNK):
                    chunk: list[Delivery] = []
                    for position, record in enumerate(records[start : start + _CHUNK], start=1):
                        delivery = self._decoded(record, poison, tally)
                        if delivery is not None:
                            chunk.append(delivery)
                        if position % _SLICE == 0:
                            await asyncio.sleep(0)
                    if pending is not None:
                        await pending
                    if chunk:
                        pending = asyncio.ensure_future(self._record_and_project(conn, chunk, tally))
                        applied.extend(chunk)
                if pending is not None:
                    await pending
                if self._settings.consumer_batch_delay_s:  # tests: a slow projection, see settings
                    await asyncio.sleep(self._settings.consumer_batch_delay_s)
                waiting = await self._note_parked(conn, poison, applied)
            finally:
                if pending is not None and not pending.done():
                    pending.cancel()
                    with contextlib.suppress(BaseException):
                        await pending
        tally.publish(self._metrics)
        self._parked_waiting = waiting > 0
        self._metrics.parked_waiting.set(waiting)
        if self._after_db_commit is not None and applied:
            await self._after_db_commit(applied)
        return poison

    async def _note_parked(
        self,
        conn: asyncpg.Connection,
        set_aside: list[tuple[ConsumerRecord, Exception]],
        applied: list[Delivery],
    ) -> int:
        """Record this batch's parked events; resolve earlier ones it applied. Returns how many wait."""
        parked = [(r, e) for r, e in set_aside if isinstance(e, NewerSchemaVersion)]
        if parked:
            await parking.store(conn, parked)
        if not parked and not self._parked_waiting:
            return 0
        return await parking.resolve(conn, {d.event.event_id for d in applied})

    def _decoded(
        self, record: ConsumerRecord, poison: list[tuple[ConsumerRecord, Exception]], tally: _Tally
    ) -> Delivery | None:
        if (replay_for := _header(record, REPLAY_FOR_GROUP)) is not None and replay_for != self._replays_for:
            tally.repeated[record.topic] += 1  # another group's dead letter, replayed for that group
            return None
        try:
            event = read_event(record.value, record.headers or ())
        except (UndecodableEvent, NewerSchemaVersion) as error:
            poison.append((record, error))
            return None
        if event is None:
            tally.skipped[record.topic] += 1
            return None
        if (foreign := self._from_another_topic(record, event)) is not None:
            poison.append((record, foreign))
            return None
        return Delivery(record, event)

    def _from_another_topic(self, record: ConsumerRecord, event: Event) -> EventFromAnotherTopic | None:
        """An event is accepted only from its producer's topic, compared by base name under our prefix."""
        prefix = self._settings.topic_prefix
        arrived_on = record.topic[len(prefix) :] if record.topic.startswith(prefix) else record.topic
        home = home_topic(event.event_type)
        if home is not None and arrived_on == home.base_name and record.topic.startswith(prefix):
            return None
        return EventFromAnotherTopic(event, home.producer if home else "no producer", arrived_on)

    async def _record_and_project(
        self, conn: asyncpg.Connection, deliveries: list[Delivery], tally: _Tally
    ) -> None:
        """Record the event ids; project only those not applied before (in this batch or ever: by id,
        or by position below the stream's watermark once old ids were pruned, see inbox.py)."""
        fresh_ids = await inbox.record(conn, deliveries)
        fresh: list[Event] = []
        for delivery in deliveries:
            if delivery.event.event_id in fresh_ids:
                fresh_ids.discard(delivery.event.event_id)  # a copy later in the chunk is a duplicate
                fresh.append(delivery.event)
                tally.applied[delivery.record.topic] += 1
            else:
                tally.repeated[delivery.record.topic] += 1
        if fresh:
            await self._projection(conn, fresh)

    async def _apply_one_or_dead_letter(self, record: ConsumerRecord) -> None:
        attempts = self._settings.consumer_retries + 1
        for attempt in range(attempts):
            try:
                poison = await self._until_infrastructure_answers(lambda: self._apply([record]))
            except Exception as error:  # noqa: BLE001 - the message itself is the problem
                self._metrics.failed.labels(record.topic).inc()
                log.warning(
                    "event failed",
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    attempt=attempt + 1,
                    of=attempts,
                    error=loggable(error),  # never the message's content
                )
                if attempt + 1 == attempts:
                    await self._dead_letter(record, error)
                    return
                await asyncio.sleep(self._settings.consumer_backoff_s * 2**attempt)
                continue
            for poisoned, reason in poison:
                await self._set_aside(poisoned, reason)
            return

    async def _until_infrastructure_answers(self, work: Callable[[], Awaitable[T]]) -> T:
        backoff = self._settings.consumer_backoff_s
        while True:
            try:
                return await work()
            except TRANSIENT_ERRORS as error:
                log.warning("infrastructure unavailable, retrying", error=repr(error), backoff_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _set_aside(self, record: ConsumerRecord, error: BaseException) -> None:
        if isinstance(error, NewerSchemaVersion):
            await self._park(record, error)
            return
        if isinstance(error, EventFromAnotherTopic):
            self._metrics.from_another_topic.labels(record.topic).inc()
            log.warning(  # ids only: the payload of a forged event is nobody's to read in a log
                "event from another topic refused",
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                event_type=error.event_type,
                event_id=str(error.event_id),
            )
        await self._dead_letter(record, error)

    async def _park(self, record: ConsumerRecord, newer: NewerSchemaVersion) -> None:
        topic = self._settings.topic(PARKED.base_name)
        await self._until_infrastructure_answers(
            lambda: parking.publish(self._dead_letters, topic, record, newer, self._group_id)
        )
        self._metrics.parked.labels(record.topic).inc()

    async def _dead_letter(self, record: ConsumerRecord, error: BaseException) -> None:
        headers = [
            *(record.headers or ()),
            ("x-error", repr(error)[:2000].encode()),
            ("x-original-topic", record.topic.encode()),
            ("x-original-partition", str(record.partition).encode()),
            ("x-original-offset", str(record.offset).encode()),
            ("x-consumer-group", self._group_id.encode()),
        ]

        async def send() -> None:
            await (
                await self._dead_letters.send(
                    self._settings.topic(DEAD_LETTER.base_name),
                    value=record.value,
                    key=record.key,
                    headers=headers,
                )
            )

        await self._until_infrastructure_answers(send)
        self._metrics.dead_lettered.labels(record.topic).inc()
        log.error(
            "event dead-lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=loggable(error),  # never the message's content
        )

    def _record_lag(self, records: Sequence[ConsumerRecord], consumer: AIOKafkaConsumer) -> None:
        last: dict[tuple[str, int], int] = {}
        for record in records:
            last[(record.topic, record.partition)] = record.offset
        for (topic, partition), offset in last.items():
            highwater = consumer.highwater(TopicPartition(topic, partition))
            if highwater is not None:
                self._metrics.lag.labels(topic, str(partition)).set(max(highwater - offset - 1, 0))
