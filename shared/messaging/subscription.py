"""Wiring an EventProcessor to FastStream: a batch subscriber that commits only after the database.

FastStream's Kafka default acknowledges before handling and AckPolicy.ACK commits even on error;
MANUAL lets the offset commit follow the database commit, never precede it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from shared.messaging.consumer import EventProcessor
from shared.settings import ServiceSettings


async def _keep_raw(*_: Any, **__: Any) -> None:
    """The processor decodes records itself (with upcasting); skip FastStream's JSON decoding."""
    return None


def subscribe(
    broker: KafkaBroker,
    processor: EventProcessor,
    topics: Sequence[str],
    group_id: str,
    settings: ServiceSettings,
) -> Any:
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
        await processor.process(message.raw_message, subscriber.consumer)
        await message.ack()

    return subscriber
