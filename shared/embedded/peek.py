"""An operator's look at the broker with aiokafka: the topics with their partitions and offsets, and a
topic's messages. No consumer group (nothing is committed, no rebalance to wait for).

The embedded broker answers end offsets wrongly (shared/brief: it points at the start of the last batch),
so the next offset of each partition is the high-water mark a fetch reports, as the consumers measure lag.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaConnectionError

from shared.embedded.ports import port_in_use
from shared.messaging.kafka import client_options
from shared.settings import ServiceSettings


class BrokerUnreachable(RuntimeError):
    """Nothing answers at the bootstrap address; the message says which and how to point elsewhere."""


class UnknownTopic(LookupError):
    """The broker has no such topic."""


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    first: int
    next: int

    @property
    def messages(self) -> int:
        return self.next - self.first


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: str


def require_broker(bootstrap: str) -> None:
    """Fail at once, saying how to point elsewhere, when nothing listens at `bootstrap` (host:port[,...])."""
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        if port.isdigit() and port_in_use(host or "127.0.0.1", int(port)):
            return
    raise BrokerUnreachable(
        f"no broker answers at {bootstrap}: start the stack (`python3 dev.py run`), or point at yours "
        "with MENTORNET_KAFKA_PORT or MENTORNET_KAFKA_BOOTSTRAP"
    )


async def _consumer(bootstrap: str) -> AIOKafkaConsumer:
    require_broker(bootstrap)
    # credentials, where the broker wants them, from MENTORNET_KAFKA_* (an operator's: see README)
    options = client_options(ServiceSettings(kafka_bootstrap=bootstrap))
    consumer = AIOKafkaConsumer(**options, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        await consumer.start()
    except KafkaConnectionError as error:
        await consumer.stop()
        raise BrokerUnreachable(f"the broker at {bootstrap} did not answer: {error}") from error
    return consumer


async def _partitions(consumer: AIOKafkaConsumer, topics: list[str] | None) -> list[TopicPartition]:
    # every topic's partitions from one metadata answer: the consumer's own metadata knows only the
    # topics it tracks (Apache Kafka answers for those alone; the embedded broker for all)
    cluster = await consumer._client.fetch_all_metadata()
    existing = cluster.topics()
    unknown = set(topics or ()) - existing
    if unknown:
        raise UnknownTopic(f"no topic {', '.join(sorted(unknown))}: `mentornet topics` lists them")
    found = []
    for name in sorted(existing) if topics is None else topics:
        found += [TopicPartition(name, p) for p in sorted(cluster.partitions_for_topic(name) or ())]
    return found


async def _high_water(consumer: AIOKafkaConsumer, parts: list[TopicPartition], timeout_s: float) -> None:
    """Fetch until every partition has reported its high-water mark (an empty one reports it too)."""
    deadline = time.monotonic() + timeout_s
    while any(consumer.highwater(tp) is None for tp in parts) and time.monotonic() < deadline:
        await consumer.getmany(*parts, timeout_ms=200, max_records=1)


async def _at_end(consumer: AIOKafkaConsumer, parts: list[TopicPartition]) -> bool:
    for tp in parts:
        high = consumer.highwater(tp)
        if high is None or await consumer.position(tp) < high:
            return False
    return True


async def topic_offsets(bootstrap: str, timeout_s: float = 10) -> list[PartitionOffsets]:
    """Every topic's partitions with their first and next offsets."""
    consumer = await _consumer(bootstrap)
    try:
        parts = await _partitions(consumer, None)
        if not parts:
            return []
        consumer.assign(parts)
        first = await consumer.beginning_offsets(parts)
        await consumer.seek_to_beginning(*parts)
        await _high_water(consumer, parts, timeout_s)
        return [
            PartitionOffsets(tp.topic, tp.partition, first[tp], consumer.highwater(tp) or first[tp])
            for tp in parts
        ]
    finally:
        await consumer.stop()


async def messages(
    bootstrap: str, topic: str, follow: bool = False, idle_s: float = 2
) -> AsyncIterator[Message]:
    """A topic's messages from the beginning, partition by partition as they arrive; stops at the end of
    every partition unless `follow` (then runs until cancelled)."""
    consumer = await _consumer(bootstrap)
    try:
        parts = await _partitions(consumer, [topic])
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        quiet_since = time.monotonic()
        while True:
            batches = await consumer.getmany(*parts, timeout_ms=200)
            for records in batches.values():
                for r in records:
                    key = r.key.decode(errors="replace") if r.key is not None else None
                    value = r.value.decode(errors="replace") if r.value is not None else ""
                    yield Message(r.topic, r.partition, r.offset, key, value)
            if batches:
                quiet_since = time.monotonic()
            if not follow and (await _at_end(consumer, parts) or time.monotonic() - quiet_since > idle_s):
                return
    finally:
        await consumer.stop()
