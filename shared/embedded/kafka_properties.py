"""What each node of shared/embedded/apache_kafka.py runs with: its server.properties and logging.

docker-compose.yml's brokers say the same in KAFKA_* variables: tests/foundation/test_compose.py
compares them, so the cluster tests and compose cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.embedded import kafka_auth
from shared.embedded.kafka_layout import KafkaNode

LOG4J2 = """\
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.requests.name = kafka.request.logger
logger.requests.level = WARN
"""


def broker_properties(
    node: KafkaNode,
    members: Sequence[KafkaNode],
    *,
    replication_factor: int,
    min_insync_replicas: int,
    broker_session_timeout_ms: int,
    broker_password: str | None,
) -> dict[str, object]:
    """A node's server.properties; `broker_password` None: no SASL users, no authorizer."""
    voters = ",".join(f"{n.node_id}@{n.host}:{n.controller_port}" for n in members)
    rf, isr, host = replication_factor, min_insync_replicas, node.host
    listeners: dict[str, object] = {
        "listeners": f"PLAINTEXT://{host}:{node.broker_port},CONTROLLER://{host}:{node.controller_port}",
        "advertised.listeners": f"PLAINTEXT://{host}:{node.broker_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    }
    if broker_password is not None:
        listeners = kafka_auth.listener_properties(
            host, node.broker_port, node.controller_port, broker_password
        )
    return {
        "process.roles": "broker,controller",
        "node.id": node.node_id,
        "controller.quorum.voters": voters,
        **listeners,
        "log.dirs": node.directory / "log",
        "num.partitions": 1,
        "default.replication.factor": rf,
        "min.insync.replicas": isr,
        "unclean.leader.election.enable": "false",
        "auto.create.topics.enable": "false",  # services create their topics, with their settings
        "log.retention.ms": -1,  # the log is kept for ever: rebuilds replay it from offset 0
        "log.retention.bytes": -1,
        "offsets.topic.replication.factor": rf,
        "offsets.topic.num.partitions": 10,
        "transaction.state.log.replication.factor": rf,
        "transaction.state.log.min.isr": isr,
        "transaction.state.log.num.partitions": 10,
        "share.coordinator.state.topic.replication.factor": rf,
        "share.coordinator.state.topic.min.isr": isr,
        "group.initial.rebalance.delay.ms": 0,
        "group.min.session.timeout.ms": 1_000,  # the dev stack and tests use 1.5-2 s sessions
        "broker.session.timeout.ms": broker_session_timeout_ms,
        "broker.heartbeat.interval.ms": min(1_000, broker_session_timeout_ms // 3),
        "num.network.threads": 2,
        "num.io.threads": 4,
        "num.recovery.threads.per.data.dir": 1,
        # the log cleaner's buffer (128 MB by default, half the heap) only serves compacted internal
        # topics here; a node once died of OutOfMemoryError allocating it on a loaded machine
        "log.cleaner.dedupe.buffer.size": 32 * 1024 * 1024,
        "background.threads": 4,
    }


def write_properties(node: KafkaNode, properties: dict[str, object]) -> None:
    """The node's server.properties, mode 600: it holds the brokers' password when authenticated."""
    node.directory.mkdir(parents=True, exist_ok=True)
    node.properties_file.touch(mode=0o600)
    node.properties_file.chmod(0o600)
    node.properties_file.write_text("".join(f"{key}={value}\n" for key, value in properties.items()))
