"""Wiring an EventProcessor to FastStream: a batch subscriber that commits only after the database.

FastStream's Kafka default acknowledges before handling and AckPolicy.ACK commits even on error;
MANUAL lets the offset commit follow the database commit, never precede it.

`ConsumerLoop.run` is the supervised consumer task (shared/supervision.py): it returns only by raising,
when a batch failed in a way the processor does not handle or the subscriber's consume loop ended. It then
rewinds the batch, commits nothing past it and stops its broker; the next run starts from the committed
offsets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from shared.messaging.consumer import EventProcessor
from shared.settings import ServiceSettings

_WATCH_EVERY_S = 1.0


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


class ConsumerLoop:
    """One run of the consumer: a FastStream broker with the processor's subscriber, watched."""

    def __init__(
        self, processor: EventProcessor, topics: Sequence[str], group_id: str, settings: ServiceSettings
    ) -> None:
        self._processor = processor
        self._topics = topics
        self._group_id = group_id
        self._settings = settings
        self.subscriber: Any = None  # the current run's subscriber (tests break its consumer)

    async def run(self, ready: Callable[[], None]) -> None:
        settings = self._settings
        broker = KafkaBroker(
            settings.kafka_bootstrap.split(","),  # a cluster's brokers: FastStream wants a list
            logger=structlog.get_logger("faststream"),
            log_level=logging.DEBUG,
            client_id=f"mentornet-{settings.service_name}",
        )
        failure: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        failure.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved below
        self.subscriber = subscribe(broker, self._processor, self._topics, self._group_id, settings, failure)
        try:
            await broker.start()
            ready()
            while not failure.done():
                await asyncio.wait([failure], timeout=_WATCH_EVERY_S)
                if not failure.done() and not any(not task.done() for task in self.subscriber.tasks):
                    failure.set_exception(ConsumerStopped("the subscriber's consume loop ended"))
            failure.result()
        finally:
            await broker.stop()
