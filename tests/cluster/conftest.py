"""A 3-broker Apache Kafka cluster (3-voter KRaft quorum) for the whole session, started once, with
authentication on: SASL/SCRAM users and ACLs (shared/embedded/kafka_auth.py, shared/messaging/acls.py).

Topics are created with replication factor 3 and min.insync.replicas=2, and the ACLs of the test's topic
prefix laid down, before a test's services start; producers run idempotent. The root conftest's
`make_settings` and PostgreSQL are reused: each service signs in as its own user (the foundation's
"probe", which stands for both ends of a topic, as the operator), so tests written for the embedded
broker run here unchanged.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiokafka.admin import NewTopic

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.messaging import acls
from shared.messaging.acls import ADMIN, SERVICE_USERS
from shared.messaging.kafka import admin_client
from shared.messaging.topic_config import KEEP_FOR_EVER
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS
from tests.support.services import eventually

REPLICATION_FACTOR = 3
MIN_INSYNC_REPLICAS = 2
NODES = 3
SERVICE_SETTINGS = {  # what every service runs with here (docker-compose.yml's say the same: test_compose.py)
    "enable_idempotence": True,
    "topic_replication_factor": REPLICATION_FACTOR,
    "topic_min_insync_replicas": MIN_INSYNC_REPLICAS,
}
TOPIC_CONFIGS = {**KEEP_FOR_EVER, "min.insync.replicas": str(MIN_INSYNC_REPLICAS)}


@pytest.fixture(scope="session")
def cluster() -> Iterator[ApacheKafkaCluster]:
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-cluster-"))
    cluster = ApacheKafkaCluster(data_dir, nodes=NODES)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.kill()  # thrown away: no controlled shutdown to wait for
        if not os.environ.get("MENTORNET_KEEP_CLUSTER_DATA"):  # its logs, to see why a test failed
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka(cluster: ApacheKafkaCluster) -> str:
    return cluster.bootstrap


@pytest.fixture(scope="session")
def operator(cluster: ApacheKafkaCluster) -> ServiceSettings:
    """The operator's sign-in (a super user): what creates topics and ACLs, and what tests read with."""
    return ServiceSettings(**cluster.client_settings(ADMIN))  # type: ignore[arg-type]


def user_of(service: str) -> str:
    return service if service in SERVICE_USERS else ADMIN


async def create_topics(operator: ServiceSettings, prefix: str) -> None:
    admin = admin_client(operator)
    await admin.start()
    try:
        topics = [
            NewTopic(
                f"{prefix}{topic.base_name}",
                topic.partitions,
                REPLICATION_FACTOR,
                topic_configs=TOPIC_CONFIGS,
            )
            for topic in ALL_TOPICS
        ]
        await admin.create_topics(topics)
    finally:
        await admin.close()


async def fully_replicated(cluster: ApacheKafkaCluster, topic: str, timeout_s: float = 90) -> None:
    """Until every partition of `topic` has a leader and all three replicas in sync."""

    def in_sync() -> bool:
        replicas = cluster.metadata([topic]).replicas.get(topic)  # absent while the topic is news
        return bool(replicas) and all(len(isr) == 3 for _, isr in replicas.values())

    await eventually(lambda: asyncio.to_thread(in_sync), timeout_s=timeout_s, interval_s=0.5)


@pytest.fixture
def make_settings(
    make_settings: Callable[..., Awaitable[ServiceSettings]],
    cluster: ApacheKafkaCluster,
    operator: ServiceSettings,
    topic_prefix: str,
) -> Callable[..., Awaitable[ServiceSettings]]:
    """The root fixture's settings, idempotent producers, this test's topics replicated on all three
    (and the services' own topic settings saying so, or their start would reconcile them down) and
    their ACLs in place; each service signs in as its own user."""
    created = asyncio.Lock()
    done: list[bool] = []

    async def make(cls: type[ServiceSettings] = ServiceSettings, **overrides: object) -> ServiceSettings:
        async with created:
            if not done:
                await create_topics(operator, topic_prefix)
                await acls.apply(operator, topic_prefix)
                done.append(True)
        service = str(overrides.get("service_name") or cls().service_name)
        signed_in = cluster.client_settings(user_of(service))
        return await make_settings(cls, **{**SERVICE_SETTINGS, **signed_in, **overrides})

    return make
