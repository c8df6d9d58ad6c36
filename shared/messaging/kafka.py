"""Kafka plumbing every service shares: topic creation, the producer, the broker's identity."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from shared.messaging.topic_config import reconcile, under_replicated, wanted_configs
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, Topic

log = structlog.get_logger(__name__)

# aiokafka's debug lines print whole records, keys and values (events: personal data, free text): kept
# off in every process that talks to the broker, whatever level the root logger is turned down to; its
# info lines (subscriptions, group joins) are chatter on an operator's console: warnings and up only
logging.getLogger("aiokafka").setLevel(logging.WARNING)


def client_options(settings: ServiceSettings) -> dict[str, Any]:
    """Where the broker is and how to sign in to it, for every aiokafka client (producer, consumer,
    admin): the one place credentials reach a client. Empty of credentials on PLAINTEXT."""
    options: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap}
    if settings.kafka_security_protocol != "PLAINTEXT":
        options |= {
            "security_protocol": settings.kafka_security_protocol,
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": settings.kafka_username,
            "sasl_plain_password": settings.kafka_password.get_secret_value(),
        }
    return options


def faststream_security(settings: ServiceSettings) -> BaseSecurity | None:
    """The same credentials as `client_options`, as FastStream's KafkaBroker takes them."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return None
    kinds = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256, "PLAIN": SASLPlaintext}
    return kinds[settings.kafka_sasl_mechanism](
        settings.kafka_username,
        settings.kafka_password.get_secret_value(),
        use_ssl=settings.kafka_security_protocol == "SASL_SSL",
    )


def admin_client(settings: ServiceSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**client_options(settings))


async def ensure_topics(settings: ServiceSettings) -> list[str]:
    """Create every missing topic with its final partition count, replicas and settings; bring existing
    ones to the same settings. Safe to repeat; returns the topics it created."""
    admin = admin_client(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in ALL_TOPICS if settings.topic(t.base_name) not in existing]
        created = await _create(admin, settings, missing) if missing else []
        already = [
            settings.topic(t.base_name) for t in ALL_TOPICS if settings.topic(t.base_name) not in created
        ]
        await reconcile(admin, settings, already)
        described = await admin.describe_topics(already) if already else []
        short = under_replicated(described, settings.topic_replication_factor)
        if short:
            log.warning(
                "topics have fewer replicas than MENTORNET_TOPIC_REPLICATION_FACTOR: reassign their partitions",
                replicas=short,
                wanted=settings.topic_replication_factor,
            )
        return created
    finally:
        await admin.close()


async def _create(admin: AIOKafkaAdminClient, settings: ServiceSettings, topics: list[Topic]) -> list[str]:
    """Create the topics; returns those this call created (another service may win the race for some)."""
    configs = wanted_configs(settings)
    replicas = settings.topic_replication_factor
    new = [
        NewTopic(settings.topic(t.base_name), t.partitions, replicas, topic_configs=configs) for t in topics
    ]
    response = await admin.create_topics(new)
    created = []
    for name, error_code, message in response.topic_errors:
        if not error_code:
            created.append(name)
        elif for_code(error_code) is not TopicAlreadyExistsError:
            raise for_code(error_code)(f"cannot create topic {name}: {message}")
    if created:
        log.info("topics created", topics=created, replicas=replicas, configs=configs)
    return created


async def cluster_id(settings: ServiceSettings) -> str:
    """The broker's cluster id; the embedded broker gets a new one at every start."""
    admin = admin_client(settings)
    await admin.start()
    try:
        description = await admin.describe_cluster()
        return str(description["cluster_id"])
    finally:
        await admin.close()


class BrokerIdentity:
    """The broker's cluster id, asked on one admin connection kept open (a round trip per question):
    cheap enough to ask before and after every relay batch and every second in each consumer."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._admin: AIOKafkaAdminClient | None = None

    async def current(self) -> str:
        if self._admin is None:
            admin = admin_client(self._settings)
            try:
                await admin.start()
            except BaseException:
                await admin.close()
                raise
            self._admin = admin
        try:
            description = await self._admin.describe_cluster()
        except BaseException:
            await self.close()  # a broker that went away: the next question connects again
            raise
        return str(description["cluster_id"])

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            with contextlib.suppress(Exception):  # bounded: a stopping service must not wait on it
                await asyncio.wait_for(admin.close(), 2)


def make_producer(settings: ServiceSettings, client_id: str | None = None) -> AIOKafkaProducer:
    """acks=all, idempotence as the broker allows (a setting); `client_id` names who sends in the
    broker's logs (the service by default, an operator's replay command otherwise)."""
    return AIOKafkaProducer(
        **client_options(settings),
        acks="all",
        enable_idempotence=settings.enable_idempotence,
        linger_ms=5,
        max_batch_size=256 * 1024,
        client_id=client_id or f"mentornet-{settings.service_name}",
    )
