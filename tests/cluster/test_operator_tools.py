"""The operator's commands on an authenticated Apache Kafka: signed in as `admin` with the MENTORNET_KAFKA_*
variables they see the topics (`mentornet topics`, `mentornet kcat`) and lay down the ACLs (`mentornet
kafka-acls`); unsigned they are refused, and a service's own user cannot grant itself anything."""

from __future__ import annotations

import os

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.messaging.acls import ADMIN, SERVICE_USERS
from shared.topics import ALL_TOPICS
from tests.foundation.test_kcat import mentornet


def signed_in_as(cluster: ApacheKafkaCluster, user: str | None, prefix: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORNET_")}
    env["MENTORNET_TOPIC_PREFIX"] = prefix
    env["MENTORNET_KAFKA_BOOTSTRAP"] = cluster.bootstrap
    if user is not None:
        env |= {f"MENTORNET_{k.upper()}": str(v) for k, v in cluster.client_settings(user).items()}
    return env


async def test_the_operator_signs_in_to_list_topics_and_lay_down_acls_and_nobody_else_can(
    cluster: ApacheKafkaCluster, make_settings, topic_prefix
):
    await make_settings(service_name="intake")  # the test's topics and ACLs exist
    intake = ALL_TOPICS[0].name(topic_prefix)

    listed = await mentornet("topics", env=signed_in_as(cluster, ADMIN, topic_prefix))
    assert listed.returncode == 0, listed.stderr
    assert intake in listed.stdout
    kcat = await mentornet("kcat", "-L", "-t", intake, env=signed_in_as(cluster, ADMIN, topic_prefix))
    assert kcat.returncode == 0, kcat.stderr
    assert f'topic "{intake}" with' in kcat.stdout
    assert cluster.passwords[ADMIN] not in kcat.stdout + kcat.stderr

    applied = await mentornet("kafka-acls", env=signed_in_as(cluster, ADMIN, topic_prefix))
    assert applied.returncode == 0, applied.stderr
    assert all(f"{user}: " in applied.stdout for user in SERVICE_USERS)  # again: nothing new, no error

    unsigned = await mentornet("topics", env=signed_in_as(cluster, None, topic_prefix))
    assert unsigned.returncode != 0 and intake not in unsigned.stdout
    grant = await mentornet("kafka-acls", env=signed_in_as(cluster, "sessions", topic_prefix))
    assert grant.returncode != 0
    assert "ClusterAuthorizationFailed" in grant.stderr + grant.stdout  # no service grants itself rights
