"""Apache Kafka itself, from its own jars, in KRaft mode on 127.0.0.1: one node or a 3-node cluster.

The jars (`org.apache.kafka:kafka_2.13` and what it depends on, deploy/apache-kafka/pom.xml) are
fetched once with Maven into a cache outside the clone (`~/.cache/mentornet/apache-kafka/<version>/`,
`MENTORNET_CACHE_DIR` moves it). Every node is both broker and controller ("combined" mode): one node
alone, or three brokers whose three controllers form the quorum (any two keep the cluster working).

Everything lives under the data directory: `cluster.json` (cluster id and ports, chosen at the first
start and kept), `node-<id>/` (the node's log directory and its properties), `logs/kafka-<id>.log`
(kafka_layout.py). A second start on the same directory is the same cluster with its data, so producers
that compare the cluster id (shared/messaging/relay.py) do not send their history again. What each node
runs with is kafka_properties.py; its SASL/SCRAM users and passwords, kafka_auth.py.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from shared.embedded import kafka_auth
from shared.embedded.kafka_jars import (
    KAFKA_VERSION,
    POM,
    ApacheKafkaError,
    cache_root,
    kafka_jars,
    new_cluster_id,
    require_java,
)
from shared.embedded.kafka_layout import KafkaNode, plan
from shared.embedded.kafka_metadata import Metadata, metadata
from shared.embedded.kafka_properties import LOG4J2, broker_properties, write_properties
from shared.embedded.logfiles import logged_popen
from shared.embedded.ports import port_in_use
from shared.messaging import acls
from shared.messaging.acls import ADMIN
from shared.settings import ServiceSettings

__all__ = [
    "KAFKA_VERSION",
    "POM",
    "ApacheKafkaCluster",
    "ApacheKafkaError",
    "KafkaNode",
    "Metadata",
    "cache_root",
    "kafka_jars",
    "metadata",
    "new_cluster_id",
    "require_java",
]

log = structlog.get_logger(__name__)

HEAP = ("-Xms64m", "-Xmx256m")  # several nodes share a small machine with everything else
JAVA_OPTIONS = (*HEAP, "-XX:+UseSerialGC", "-Djava.awt.headless=true")
START_TIMEOUT_S = 120.0


@dataclass
class ApacheKafkaCluster:
    """`nodes=1` (broker+controller) or `nodes=3` (three of them: 3 brokers, a 3-voter quorum).

    `broker_ports` and `controller_ports` fix the ports at the first start (free ports otherwise); later
    starts on the same data directory reuse what `cluster.json` recorded (new broker ports win).
    """

    data_dir: Path
    nodes: int = 1
    host: str = "127.0.0.1"
    broker_ports: tuple[int, ...] | None = None
    controller_ports: tuple[int, ...] | None = None
    version: str = KAFKA_VERSION
    broker_session_timeout_ms: int = 6_000  # how soon the controller fences a broker that died
    # SASL/SCRAM users and ACLs (kafka_auth.py); a cluster first formatted without them keeps none
    auth: bool = True
    members: list[KafkaNode] = field(default_factory=list, init=False)
    cluster_id: str = field(default="", init=False)
    passwords: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.nodes not in (1, 3):
            raise ValueError("one node or a cluster of three")
        self.data_dir = Path(self.data_dir).resolve()

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.members)

    @property
    def replication_factor(self) -> int:
        return min(self.nodes, 3)

    @property
    def min_insync_replicas(self) -> int:
        return 2 if self.nodes >= 3 else 1

    def client_settings(self, user: str) -> dict[str, object]:
        """ServiceSettings fields (MENTORNET_KAFKA_* in lower case) that sign in as `user`."""
        if not self.auth:
            return {"kafka_bootstrap": self.bootstrap}
        return kafka_auth.client_settings(self.bootstrap, user, self.passwords)

    def apply_acls(self, prefix: str = "") -> None:
        """The stack's ACLs for topics under `prefix` (shared/messaging/acls.py), as the operator."""
        if not self.auth:
            return
        settings = ServiceSettings(**self.client_settings(ADMIN))  # type: ignore[arg-type]
        with ThreadPoolExecutor(1) as thread:  # a loop of its own, whoever calls
            thread.submit(asyncio.run, acls.apply(settings, prefix)).result()

    def metadata(self, topics: list[str] | None = None) -> Metadata:
        """The cluster's metadata, from the first running node that answers."""
        error: OSError = ConnectionError("no node is running")
        credentials = kafka_auth.operator_credentials(self.passwords) if self.auth else None
        for node in self.members:
            if node.running:
                try:
                    return metadata(self.host, node.broker_port, topics, credentials=credentials)
                except OSError as failure:
                    error = failure
        raise error

    def node(self, node_id: int) -> KafkaNode:
        return next(node for node in self.members if node.node_id == node_id)

    # -- start and stop ------------------------------------------------------------------------------

    def start(self) -> None:
        java = require_java()
        jars = kafka_jars(self.version)
        self._plan()
        for node in self.members:
            if port_in_use(self.host, node.broker_port) or port_in_use(self.host, node.controller_port):
                raise ApacheKafkaError(
                    f"node {node.node_id}'s ports {node.broker_port}/{node.controller_port} are taken:"
                    " stop what runs there (another stack?)"
                )
        for node in self.members:
            self._write_properties(node)
            if not (node.directory / "log" / "meta.properties").exists():
                self._format(java, jars, node)
        for node in self.members:
            self._spawn(java, jars, node)
        self.wait_ready()
        log.info("Apache Kafka started", bootstrap=self.bootstrap, cluster_id=self.cluster_id)

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> None:
        """Until every running node answers a metadata request listing every running broker."""
        deadline = time.monotonic() + timeout_s
        while True:
            running = {node.node_id for node in self.members if node.running}
            for node in self.members:
                if node.process is not None and not node.running:
                    raise ApacheKafkaError(
                        f"Apache Kafka node {node.node_id} exited with {node.process.returncode}:"
                        f" see {node.log_file}"
                    )
            if all(self._answers(node, running) for node in self.members if node.running):
                return
            if time.monotonic() > deadline:
                self.stop()
                raise ApacheKafkaError(
                    f"Apache Kafka not ready within {timeout_s:.0f}s: see {self.data_dir / 'logs'}"
                )
            time.sleep(0.25)

    def _answers(self, node: KafkaNode, running: set[int]) -> bool:
        credentials = kafka_auth.operator_credentials(self.passwords) if self.auth else None
        try:
            answer = metadata(self.host, node.broker_port, credentials=credentials)
        except OSError:
            return False
        return answer.cluster_id == self.cluster_id and running <= set(answer.brokers)

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM to every node (a controlled shutdown), then wait; SIGKILL what is left after timeout."""
        for node in self.members:
            if node.running:
                assert node.process is not None
                node.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for node in self.members:
            self._reap(node, max(0.1, deadline - time.monotonic()))

    def kill(self) -> None:
        """SIGKILL every node at once (tests: no shutdown work, data stays as a crash leaves it)."""
        for node in self.members:
            self.kill_node(node.node_id)

    def kill_node(self, node_id: int) -> None:
        node = self.node(node_id)
        if node.process is not None:
            if node.running:
                node.process.kill()
            node.process.wait()
            node.process = None

    def stop_node(self, node_id: int, timeout_s: float = 30.0) -> None:
        node = self.node(node_id)
        if node.running:
            assert node.process is not None
            node.process.send_signal(signal.SIGTERM)
        self._reap(node, timeout_s)

    def start_node(self, node_id: int) -> None:
        """Start one node again (same data) and wait until the cluster lists it."""
        node = self.node(node_id)
        if node.running:
            return
        self._spawn(require_java(), kafka_jars(self.version), node)
        self.wait_ready()

    def _reap(self, node: KafkaNode, timeout_s: float) -> None:
        if node.process is None:
            return
        try:
            node.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            log.warning("Apache Kafka node did not stop in time: killed", node=node.node_id)
            node.process.kill()
            node.process.wait()
        node.process = None

    # -- layout --------------------------------------------------------------------------------------

    def _plan(self) -> None:
        """Cluster id and ports: from cluster.json when this data directory has run before."""
        layout = plan(
            self.data_dir,
            nodes=self.nodes,
            host=self.host,
            version=self.version,
            auth=self.auth,
            broker_ports=self.broker_ports,
            controller_ports=self.controller_ports,
        )
        self.cluster_id = layout.cluster_id
        if self.auth and not layout.auth:
            log.warning(
                "this cluster was formatted without users: it runs without SASL", data=str(self.data_dir)
            )
            self.auth = False
        if self.auth:
            self.passwords = kafka_auth.load_or_create(self.data_dir)
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        (self.data_dir / "log4j2.properties").write_text(LOG4J2)
        self.members = layout.nodes

    def _write_properties(self, node: KafkaNode) -> None:
        write_properties(node, self.broker_properties(node))

    def broker_properties(self, node: KafkaNode) -> dict[str, object]:
        """A node's server.properties (docker-compose.yml's KAFKA_* say the same: test_compose.py)."""
        return broker_properties(
            node,
            self.members,
            replication_factor=self.replication_factor,
            min_insync_replicas=self.min_insync_replicas,
            broker_session_timeout_ms=self.broker_session_timeout_ms,
            broker_password=self.passwords[kafka_auth.BROKER] if self.auth else None,
        )

    def _format(self, java: str, jars: Path, node: KafkaNode) -> None:
        done = subprocess.run(
            [
                java, *HEAP, "-cp", f"{jars}/*", "kafka.tools.StorageTool", "format",
                "--cluster-id", self.cluster_id, "--config", str(node.properties_file),
                "--ignore-formatted",
                *(kafka_auth.scram_arguments(self.passwords) if self.auth else []),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
        if done.returncode != 0:
            raise ApacheKafkaError(
                f"formatting node {node.node_id} failed: {(done.stdout + done.stderr).strip()[-2000:]}"
            )

    def _spawn(self, java: str, jars: Path, node: KafkaNode) -> None:
        node.process = logged_popen(
            [
                java, *JAVA_OPTIONS, f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
                "-cp", f"{jars}/*", "kafka.Kafka", str(node.properties_file),
            ],
            node.log_file,
            f"kafka-{node.node_id}",
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
