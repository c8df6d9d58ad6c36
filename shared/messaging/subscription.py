"""Wiring an EventProcessor to FastStream: a batch subscriber that commits only after the database.

FastStream's Kafka default acknowledges before handling and AckPolicy.ACK commits even on error;
MANUAL lets the offset commit follow the database commit, never precede it.

`ConsumerLoop.run` is the supervised consumer task (shared/supervision.py): it returns only by raising,
when a batch failed in a way the processor does not handle, the subscriber's consume loop ended, or the
broker was swapped for another (a new cluster id). It then rewinds the batch, commits nothing past it and
stops its broker; the next run starts from the committed offsets, or, on a new broker, from the
beginning of every partition (the offsets it holds are not ours; de-duplication makes re-reading
harmless), and says "catching up" to /readyz until it has read up to the end of each partition.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from aiokafka import ConsumerRebalanceListener, TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from shared.messaging.consumer import EventProcessor
from shared.messaging.kafka import BrokerIdentity, ensure_topics, faststream_security
from shared.settings import ServiceSettings

_WATCH_EVERY_S = 1.0
_IDENTITY_TIMEOUT_S = 5.0

log = structlog.get_logger(__name__)


class ConsumerStopped(RuntimeError):
    """The consumer cannot go on; the supervisor starts a new one from the committed offsets."""


async def _keep_raw(*_: Any, **__: Any) -> None:
    """The processor decodes records itself (with upcasting); skip FastStream's JSON decoding."""
    return None


def subscribe(
    broker: KafkaBroker,
    processor: EventProcessor,
    topics: Sequence[str],
    group_id: str,
    settings: ServiceSettings,
    failure: asyncio.Future[None] | None = None,
    listener: ConsumerRebalanceListener | None = None,
) -> Any:
    """A batch subscriber applying each batch with `processor`; an error it lets through is put in
    `failure` (when given) and no later batch is applied or acknowledged."""
    subscriber = broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=settings.consumer_batch_size,
        batch_timeout_ms=100,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        decoder=_keep_raw,
        fetch_min_bytes=settings.consumer_fetch_min_bytes,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        max_partition_fetch_bytes=4 * 1024 * 1024,
        listener=listener,
    )

    @subscriber
    async def apply_batch(message: KafkaMessage) -> None:
        if failure is not None and failure.done():
            await message.nack()
            raise ConsumerStopped("an earlier batch failed: this consumer is stopping")
        try:
            await processor.process(message.raw_message, subscriber.consumer)
        except Exception as error:
            if failure is not None and not failure.done():
                failure.set_exception(error)
            await message.nack()
            raise
        await message.ack()

    return subscriber


class _FromTheBeginning(ConsumerRebalanceListener):
    """Every partition assigned to this run is read from its first offset (a new broker's committed
    offsets may be ours from the old one: an event log shorter than them would be skipped)."""

    def __init__(self, consumer: Callable[[], Any]) -> None:
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Any) -> None:
        if assigned:
            await self._consumer().seek_to_beginning(*assigned)


class ConsumerLoop:
    """One run of the consumer: a FastStream broker with the processor's subscriber, watched."""

    def __init__(
        self, processor: EventProcessor, topics: Sequence[str], group_id: str, settings: ServiceSettings
    ) -> None:
        self._processor = processor
        self._topics = topics
        self._group_id = group_id
        self._settings = settings
        self._cluster_id: str | None = None  # the broker the last run read from
        self.subscriber: Any = None  # the current run's subscriber (tests break its consumer)

    def assignment(self) -> list[str]:
        """The partitions this instance's consumer holds now, as "topic:partition" (sorted)."""
        consumer = getattr(self.subscriber, "consumer", None)
        if consumer is None:
            return []
        return sorted(f"{tp.topic}:{tp.partition}" for tp in consumer.assignment())

    async def run(self, ready: Callable[..., None]) -> None:
        settings = self._settings
        identity = BrokerIdentity(settings)
        try:
            current = await asyncio.wait_for(identity.current(), _IDENTITY_TIMEOUT_S)
            new_broker = self._cluster_id is not None and current != self._cluster_id
            if new_broker:
                await ensure_topics(settings)  # its relay may not have seen the new broker yet
            self._cluster_id = current
            await self._run(ready, identity, new_broker)
        finally:
            await identity.close()

    async def _run(self, ready: Callable[..., None], identity: BrokerIdentity, new_broker: bool) -> None:
        settings = self._settings
        broker = KafkaBroker(
            settings.kafka_bootstrap.split(","),  # a cluster's brokers: FastStream wants a list
            logger=structlog.get_logger("faststream"),
            log_level=logging.DEBUG,
            client_id=f"mentornet-{settings.service_name}",
            security=faststream_security(settings),
        )
        failure: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        failure.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved below
        listener = _FromTheBeginning(lambda: self.subscriber.consumer) if new_broker else None
        self.subscriber = subscribe(
            broker, self._processor, self._topics, self._group_id, settings, failure, listener
        )
        try:
            await broker.start()
            if new_broker:
                log.warning("new broker: reading every partition again from the beginning")
                ready("catching up: reading a new broker's partitions from the beginning")
            else:
                ready()
            catching_up = new_broker
            while not failure.done():
                await asyncio.wait([failure], timeout=_WATCH_EVERY_S)
                if failure.done():
                    break
                if not any(not task.done() for task in self.subscriber.tasks):
                    failure.set_exception(ConsumerStopped("the subscriber's consume loop ended"))
                elif await self._broker_swapped(identity):
                    failure.set_exception(ConsumerStopped("the broker was swapped for a new one"))
                elif catching_up and await self._caught_up():
                    catching_up = False
                    log.warning("caught up with the new broker")
                    ready()
            failure.result()
        finally:
            await broker.stop()

    async def _broker_swapped(self, identity: BrokerIdentity) -> bool:
        try:
            current = await asyncio.wait_for(identity.current(), _IDENTITY_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - a broker away is not a new broker
            return False
        return current != self._cluster_id

    async def _caught_up(self) -> bool:
        """Every assigned partition read up to its high-water mark (as its last fetch saw it)."""
        consumer = self.subscriber.consumer
        assigned: set[TopicPartition] = consumer.assignment() if consumer is not None else set()
        if not assigned:
            return False
        for partition in assigned:
            highwater = consumer.highwater(partition)
            if highwater is None:
                try:
                    highwater = (await consumer.end_offsets([partition]))[partition]
                except Exception:  # noqa: BLE001 - not known yet: not caught up
                    return False
            if await consumer.position(partition) < highwater:
                return False
        return True
