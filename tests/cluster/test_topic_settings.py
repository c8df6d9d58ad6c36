"""On Apache Kafka: the services' topics keep everything for ever on three replicas, two in sync, and an
existing topic's settings are altered (IncrementalAlterConfigs) to match, its other overrides kept."""

from __future__ import annotations

import pytest
from aiokafka.admin import NewTopic
from aiokafka.errors import InvalidReplicationFactorError
from structlog.testing import capture_logs

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.messaging.acls import ADMIN
from shared.messaging.kafka import admin_client, ensure_topics
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, INTAKE
from tests.foundation.test_topic_settings import FOR_EVER, WEEK, read_back
from tests.support.services import eventually

WANTED = {**FOR_EVER, "min.insync.replicas": "2"}


def settings_for(cluster: ApacheKafkaCluster, prefix: str) -> ServiceSettings:
    return ServiceSettings(
        **cluster.client_settings(ADMIN),  # type: ignore[arg-type]
        topic_prefix=prefix,
        topic_replication_factor=3,
        topic_min_insync_replicas=2,
    )


def replica_sets(cluster: ApacheKafkaCluster, topic: str) -> set[tuple[int, ...]]:
    """The replicas of each partition of the topic, once the broker's metadata lists it."""
    answer = cluster.metadata([topic])
    return {tuple(sorted(replicas)) for replicas, _isr in answer.replicas.get(topic, {}).values()}


async def settings_of(settings: ServiceSettings, topic: str, names: list[str]) -> dict[str, str | None]:
    configs = (await read_back(settings, [topic]))[topic]
    return {name: configs.get(name) for name in names}


async def test_the_services_create_their_topics_on_three_replicas_keeping_everything(
    cluster: ApacheKafkaCluster, topic_prefix
):
    settings = settings_for(cluster, topic_prefix)
    names = [t.name(topic_prefix) for t in ALL_TOPICS]
    assert sorted(await ensure_topics(settings)) == sorted(names)
    for name in names:
        await eventually(lambda n=name: replica_sets(cluster, n), equals={(1, 2, 3)})
        await eventually(
            lambda n=name: settings_of(settings_for(cluster, topic_prefix), n, list(WANTED)), equals=WANTED
        )


async def test_an_existing_topic_is_altered_to_keep_everything_its_other_overrides_kept(
    cluster: ApacheKafkaCluster, topic_prefix
):
    intake = INTAKE.name(topic_prefix)
    admin = admin_client(settings_for(cluster, topic_prefix))
    await admin.start()
    try:
        old = {"retention.ms": WEEK, "max.message.bytes": "2000000", "min.insync.replicas": "1"}
        await admin.create_topics([NewTopic(intake, INTAKE.partitions, 3, topic_configs=old)])
    finally:
        await admin.close()
    await eventually(
        lambda: settings_of(settings_for(cluster, topic_prefix), intake, ["retention.ms"]),
        equals={"retention.ms": WEEK},
    )

    with capture_logs() as logs:
        await ensure_topics(settings_for(cluster, topic_prefix))
    changed = {(e["config"], e["before"], e["api"]) for e in logs if e["event"] == "topic config changed"}
    assert ("retention.ms", WEEK, "IncrementalAlterConfigs") in changed
    assert ("min.insync.replicas", "1", "IncrementalAlterConfigs") in changed
    names = [*WANTED, "max.message.bytes"]
    await eventually(
        lambda: settings_of(settings_for(cluster, topic_prefix), intake, names),
        equals={**WANTED, "max.message.bytes": "2000000"},
    )


async def test_more_replicas_than_brokers_stops_the_start_with_the_brokers_reason(
    cluster: ApacheKafkaCluster, topic_prefix
):
    settings = settings_for(cluster, topic_prefix).model_copy(update={"topic_replication_factor": 4})
    with pytest.raises(InvalidReplicationFactorError, match="cannot create topic"):
        await ensure_topics(settings)
