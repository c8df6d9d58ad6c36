"""Broker access on Apache Kafka is authenticated and authorised: SASL/SCRAM-SHA-512 users, one per
service, and ACLs derived from shared/topics.py (shared/messaging/acls.py). Whoever reaches the broker
can no longer forge intake's `CompanyApiKeyIssued` and so open a company's reporting view."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from pydantic import SecretStr
from structlog.testing import capture_logs

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.embedded.kafka_metadata import metadata
from shared.events import CompanyApiKeyIssued, encode
from shared.messaging.acls import SERVICE_USERS
from shared.messaging.kafka import admin_client, client_options, ensure_topics, make_producer
from shared.messaging.topic_config import ConfigChange, alter, describe
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, INTAKE, SESSIONS, consumed_by
from tests.foundation.test_topic_settings import WEEK


def forged_key() -> CompanyApiKeyIssued:
    return CompanyApiKeyIssued(
        company_id=uuid.uuid4(),
        key_id=uuid.uuid4(),
        key_hash=hashlib.sha256(b"the attacker's own key").hexdigest(),
        producer="intake",
    )


async def signed_in(make_settings, service: str) -> ServiceSettings:
    settings = await make_settings(service_name=service)
    assert settings.kafka_username == service and settings.kafka_security_protocol == "SASL_PLAINTEXT"
    return settings


async def test_a_client_without_credentials_or_with_a_wrong_password_is_refused(
    cluster: ApacheKafkaCluster, make_settings
):
    settings = await make_settings(service_name="intake")  # the test's topics exist
    anonymous = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap, request_timeout_ms=5_000)
    with pytest.raises(KafkaConnectionError):
        await anonymous.start()  # the listener speaks SASL only: it closes a plain request's connection
    await anonymous.stop()

    wrong = settings.model_copy(update={"kafka_password": SecretStr("guessed")})
    guesser = AIOKafkaProducer(**client_options(wrong), request_timeout_ms=5_000)
    with pytest.raises(KafkaConnectionError):
        await guesser.start()
    await guesser.stop()

    node = cluster.members[0]  # the library-free probe too: no answer without signing in
    with pytest.raises(OSError):
        await asyncio.to_thread(metadata, node.host, node.broker_port)
    assert (await asyncio.to_thread(cluster.metadata)).cluster_id == cluster.cluster_id


async def test_sessions_cannot_forge_intakes_api_key_event_and_intake_can_write_it(make_settings):
    sessions = await signed_in(make_settings, "sessions")
    intake = await signed_in(make_settings, "intake")
    topic = intake.topic(INTAKE.base_name)
    event = forged_key()

    forger = make_producer(sessions)
    await forger.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await forger.send_and_wait(topic, encode(event), key=event.key.encode())
        await forger.send_and_wait(sessions.topic(SESSIONS.base_name), b"its own topic", key=b"k")
    finally:
        await forger.stop()

    owner = make_producer(intake)
    await owner.start()
    try:
        sent = await owner.send_and_wait(topic, encode(event), key=event.key.encode())
    finally:
        await owner.stop()
    assert sent.offset >= 0

    for service in SERVICE_USERS:  # nobody but intake writes intake's topic
        if service == "intake":
            continue
        other = make_producer(await make_settings(service_name=service))
        await other.start()
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await other.send_and_wait(topic, encode(event), key=event.key.encode())
        finally:
            await other.stop()


async def test_each_service_reads_what_it_consumes_in_its_own_group_and_nothing_else(make_settings):
    probe = await make_settings(service_name="probe")  # the operator: writes one record per topic
    writer = AIOKafkaProducer(**client_options(probe), acks="all")
    await writer.start()
    try:
        written = {topic: encode(forged_key()) for topic in ALL_TOPICS}
        for topic, value in written.items():
            await writer.send_and_wait(probe.topic(topic.base_name), value, partition=0)
    finally:
        await writer.stop()

    for service in SERVICE_USERS:
        settings = await make_settings(service_name=service)
        for topic in ALL_TOPICS:
            name = settings.topic(topic.base_name)
            group = f"{settings.topic_prefix}mentornet-{service}"
            if topic in consumed_by(service):
                assert [r.value for r in await first_records(settings, name, group)] == [written[topic]]
            else:  # without a group, so only the topic's READ is asked
                with pytest.raises(TopicAuthorizationFailedError):
                    await first_records(settings, name, None)
        if consumed_by(service):  # another service's group is not its to join
            other = next(s for s in SERVICE_USERS if s != service and consumed_by(s))
            with pytest.raises(GroupAuthorizationFailedError):
                await first_records(
                    settings,
                    settings.topic(consumed_by(service)[0].base_name),
                    f"{settings.topic_prefix}mentornet-{other}",
                )


async def first_records(settings: ServiceSettings, topic: str, group: str | None) -> list:
    """The first fetch from partition 0 of `topic`, committed in `group` as a service would."""
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=10_000,
    )
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        batches = await consumer.getmany(partition, timeout_ms=5_000)
        if not batches:
            batches = await consumer.getmany(partition, timeout_ms=5_000)
        records = [r for batch in batches.values() for r in batch]
        if group is not None:
            await consumer.commit()
        return records
    finally:
        await consumer.stop()


async def test_a_service_cannot_shorten_another_services_history_and_starts_all_the_same(
    make_settings, operator: ServiceSettings
):
    sessions = await make_settings(service_name="sessions")
    intake = await make_settings(service_name="intake")
    topic = intake.topic(INTAKE.base_name)
    admin = admin_client(operator)
    await admin.start()
    try:  # the operator makes intake's topic differ from what the services want
        described = await describe(admin, [topic])
        await alter(admin, [ConfigChange(topic, "retention.ms", "-1", WEEK)], described)
    finally:
        await admin.close()

    with capture_logs() as logs:
        await ensure_topics(sessions)  # sessions may not alter intake's topic: it starts all the same
    refused = [e for e in logs if e["event"].startswith("not allowed to alter")]
    assert [e["topic"] for e in refused] == [topic]
    assert await retention(operator, topic) == WEEK

    await ensure_topics(intake)  # its producer may
    assert await retention(operator, topic) == "-1"


async def retention(operator: ServiceSettings, topic: str) -> str:
    admin = admin_client(operator)
    await admin.start()
    try:
        return (await describe(admin, [topic]))[topic].values["retention.ms"]
    finally:
        await admin.close()
