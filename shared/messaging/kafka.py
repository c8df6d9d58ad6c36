"""Kafka plumbing every service shares: topic creation, the producer, the broker's identity."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS


async def ensure_topics(settings: ServiceSettings) -> list[str]:
    """Create every topic that is missing, with its final partition count; safe to repeat."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in ALL_TOPICS if settings.topic(t.base_name) not in existing]
        if missing:
            new = [NewTopic(settings.topic(t.base_name), t.partitions, 1) for t in missing]
            try:
                await admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # another service won the race
        return [settings.topic(t.base_name) for t in missing]
    finally:
        await admin.close()


async def cluster_id(settings: ServiceSettings) -> str:
    """The broker's cluster id; the embedded broker gets a new one at every start."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        description = await admin.describe_cluster()
        return str(description["cluster_id"])
    finally:
        await admin.close()


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        linger_ms=5,
        max_batch_size=256 * 1024,
        client_id=f"mentornet-{settings.service_name}",
    )
