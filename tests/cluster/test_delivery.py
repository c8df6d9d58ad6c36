"""The foundation's delivery guarantees, on the 3-broker cluster: the same tests, another `kafka`."""

from __future__ import annotations

from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.messaging.kafka import admin_client
from shared.topics import INTAKE
from tests.cluster.conftest import MIN_INSYNC_REPLICAS, REPLICATION_FACTOR, fully_replicated
from tests.foundation.test_delivery import (
    test_a_consumer_killed_between_db_commit_and_offset_commit_loses_and_duplicates_nothing,
    test_a_poison_message_is_dead_lettered_and_the_messages_behind_it_still_arrive,
    test_an_event_travels_from_outbox_through_broker_into_projection,
    test_the_same_event_delivered_twice_changes_nothing,
)

__all__ = [
    "test_a_consumer_killed_between_db_commit_and_offset_commit_loses_and_duplicates_nothing",
    "test_a_poison_message_is_dead_lettered_and_the_messages_behind_it_still_arrive",
    "test_an_event_travels_from_outbox_through_broker_into_projection",
    "test_the_same_event_delivered_twice_changes_nothing",
]


async def test_the_tests_topics_live_on_three_replicas_and_need_two_in_sync(
    make_settings, cluster: ApacheKafkaCluster, operator
):
    settings = await make_settings(service_name="probe")
    assert settings.enable_idempotence
    topic = settings.topic(INTAKE.base_name)
    await fully_replicated(cluster, topic)
    answer = cluster.metadata([topic])
    assert sorted(answer.brokers) == [1, 2, 3]
    assert len(answer.replicas[topic]) == INTAKE.partitions
    for replicas, in_sync in answer.replicas[topic].values():
        assert sorted(replicas) == [1, 2, 3] == sorted(in_sync)
    assert REPLICATION_FACTOR == 3

    admin = admin_client(operator)
    await admin.start()
    try:
        [described] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    entries = {entry[0]: entry[1] for entry in described.resources[0][4]}
    assert entries["min.insync.replicas"] == str(MIN_INSYNC_REPLICAS)
