"""Event topics keep their history for ever: set at creation, reconciled on existing topics, read back.

Measured on the embedded tansu 0.6.0: it stores create-time configs and answers DescribeConfigs with
them, and it implements IncrementalAlterConfigs but not the legacy AlterConfigs.
"""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import IncompatibleBrokerVersion
from structlog.testing import capture_logs

from shared.messaging import topic_config
from shared.messaging.kafka import admin_client, ensure_topics
from shared.messaging.topic_config import ConfigChange, differences, under_replicated
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, INTAKE

FOR_EVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}
WEEK = "604800000"


async def read_back(settings: ServiceSettings, topics: list[str]) -> dict[str, dict[str, str]]:
    """What the broker says, asked with aiokafka's own DescribeConfigs."""
    admin = admin_client(settings)
    await admin.start()
    try:
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic) for topic in topics]
        )
    finally:
        await admin.close()
    return {name: {e[0]: e[1] for e in entries} for _code, _msg, _type, name, entries in response.resources}


async def create_old_topic(bootstrap: str, name: str, configs: dict[str, str]) -> None:
    """A topic as earlier code created it: no retention setting of ours, someone else's override."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, INTAKE.partitions, 1, topic_configs=configs)])
    finally:
        await admin.close()


async def test_new_topics_are_created_to_keep_everything_for_ever(kafka, topic_prefix):
    settings = ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix, topic_min_insync_replicas=1)
    created = await ensure_topics(settings)
    names = [t.name(topic_prefix) for t in ALL_TOPICS]
    assert created == names
    for name, configs in (await read_back(settings, names)).items():
        assert {k: configs.get(k) for k in (*FOR_EVER, "min.insync.replicas")} == {
            **FOR_EVER,
            "min.insync.replicas": "1",
        }, name


async def test_an_existing_topic_is_brought_to_for_ever_keeping_its_other_settings(kafka, topic_prefix):
    settings = ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix)
    intake = INTAKE.name(topic_prefix)
    await create_old_topic(kafka, intake, {"retention.ms": WEEK, "max.message.bytes": "2000000"})

    with capture_logs() as logs:
        created = await ensure_topics(settings)
    assert intake not in created
    after = (await read_back(settings, [intake]))[intake]
    assert {k: after.get(k) for k in FOR_EVER} == FOR_EVER
    assert after["max.message.bytes"] == "2000000"  # an override of someone else's survives
    changed = [(e["config"], e["before"], e["after"]) for e in logs if e["event"] == "topic config changed"]
    assert ("retention.ms", WEEK, "-1") in changed
    assert {e["topic"] for e in logs if e["event"] == "topic config changed"} == {intake}

    with capture_logs() as logs:
        await ensure_topics(settings)
    assert not [e for e in logs if e["event"] == "topic config changed"]  # nothing left to change


async def test_a_broker_that_cannot_alter_configs_gets_a_warning_not_a_crash(
    kafka, topic_prefix, monkeypatch
):
    """tansu lacks the legacy AlterConfigs; with IncrementalAlterConfigs refused too, neither is left."""

    class Unsupported(topic_config.IncrementalAlterConfigsRequest):
        def prepare(self, versions):
            raise IncompatibleBrokerVersion("IncrementalAlterConfigs refused for this test")

    monkeypatch.setattr(topic_config, "IncrementalAlterConfigsRequest", Unsupported)
    settings = ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix)
    intake = INTAKE.name(topic_prefix)
    await create_old_topic(kafka, intake, {"retention.ms": WEEK})

    with capture_logs() as logs:
        await ensure_topics(settings)
    (warning,) = [e for e in logs if e["event"].startswith("broker cannot alter topic configs")]
    assert warning["log_level"] == "warning"
    assert f"{intake} retention.ms={WEEK} (wanted -1)" in warning["differences"]
    assert (await read_back(settings, [intake]))[intake]["retention.ms"] == WEEK  # unchanged, and said so


def test_replication_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MENTORNET_TOPIC_REPLICATION_FACTOR", "3")
    monkeypatch.setenv("MENTORNET_TOPIC_MIN_INSYNC_REPLICAS", "2")
    settings = ServiceSettings()
    assert (settings.topic_replication_factor, settings.topic_min_insync_replicas) == (3, 2)
    assert topic_config.wanted_configs(settings)["min.insync.replicas"] == "2"
    monkeypatch.delenv("MENTORNET_TOPIC_REPLICATION_FACTOR")
    monkeypatch.delenv("MENTORNET_TOPIC_MIN_INSYNC_REPLICAS")
    defaults = ServiceSettings()
    assert (defaults.topic_replication_factor, defaults.topic_min_insync_replicas) == (1, 1)


def test_more_insync_replicas_than_replicas_is_refused():
    with pytest.raises(ValueError, match="min_insync_replicas"):
        ServiceSettings(topic_replication_factor=1, topic_min_insync_replicas=2)


def test_differences_name_what_is_missing_or_other():
    current = {"retention.ms": WEEK, "cleanup.policy": "delete"}
    assert differences("t", current, FOR_EVER) == [
        ConfigChange("t", "retention.ms", WEEK, "-1"),
        ConfigChange("t", "retention.bytes", None, "-1"),
    ]


def test_under_replicated_topics_are_named_with_their_fewest_replicas():
    described = [
        {"topic": "a", "partitions": [{"replicas": [1, 2, 3]}, {"replicas": [1]}]},
        {"topic": "b", "partitions": [{"replicas": [1, 2, 3]}]},
    ]
    assert under_replicated(described, 3) == {"a": 1}
