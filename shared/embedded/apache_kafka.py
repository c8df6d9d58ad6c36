"""Apache Kafka itself, from its own jars, in KRaft mode on 127.0.0.1: one node or a 3-node cluster.

The jars (`org.apache.kafka:kafka_2.13` and what it depends on, deploy/apache-kafka/pom.xml) are
fetched once with Maven into a cache outside the clone (`~/.cache/mentornet/apache-kafka/<version>/`,
`MENTORNET_CACHE_DIR` moves it). Every node is both broker and controller ("combined" mode): one node
alone, or three brokers whose three controllers form the quorum (any two keep the cluster working).

Everything lives under the data directory: `cluster.json` (cluster id and ports, chosen at the first
start and kept), `node-<id>/` (the node's log directory and its properties), `logs/kafka-<id>.log`. A
second start on the same directory is the same cluster with its data, so producers that compare the
cluster id (shared/messaging/relay.py) do not send their history again.
"""

from __future__ import annotations

import asyncio
import json
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
from shared.embedded.kafka_metadata import Metadata, metadata
from shared.embedded.logfiles import logged_popen
from shared.embedded.ports import free_port_outside_ephemeral, port_in_use
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


@dataclass
class KafkaNode:
    node_id: int
    host: str
    broker_port: int
    controller_port: int
    directory: Path
    log_file: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.broker_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def properties_file(self) -> Path:
        return self.directory / "server.properties"


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
        return {
            "kafka_bootstrap": self.bootstrap,
            "kafka_security_protocol": "SASL_PLAINTEXT",
            "kafka_sasl_mechanism": kafka_auth.MECHANISM,
            "kafka_username": user,
            "kafka_password": self.passwords[user],
        }

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
        state_file = self.data_dir / "cluster.json"
        if state_file.exists():
            state = json.loads(state_file.read_text())
            if len(state["nodes"]) != self.nodes:
                raise ApacheKafkaError(
                    f"{self.data_dir} holds a cluster of {len(state['nodes'])} node(s), not {self.nodes}"
                )
            if self.broker_ports and [n["broker_port"] for n in state["nodes"]] != list(self.broker_ports):
                for entry, port in zip(state["nodes"], self.broker_ports, strict=True):
                    entry["broker_port"] = port  # clients moved: brokers advertise the new address
                state_file.write_text(json.dumps(state, indent=2) + "\n")
        else:
            ports = self.broker_ports or tuple(
                free_port_outside_ephemeral(self.host) for _ in range(self.nodes)
            )
            controllers = self.controller_ports or tuple(
                free_port_outside_ephemeral(self.host) for _ in range(self.nodes)
            )
            if len(ports) != self.nodes or len(controllers) != self.nodes:
                raise ValueError(f"{self.nodes} port(s) of each kind wanted, got {ports}, {controllers}")
            state = {
                "cluster_id": new_cluster_id(),
                "version": self.version,
                "auth": self.auth,
                "nodes": [
                    {"id": i + 1, "broker_port": port, "controller_port": controller}
                    for i, (port, controller) in enumerate(zip(ports, controllers, strict=True))
                ],
            }
            self.data_dir.mkdir(parents=True, exist_ok=True)
            state_file.write_text(json.dumps(state, indent=2) + "\n")
        self.cluster_id = state["cluster_id"]
        if self.auth and not state.get("auth", False):
            log.warning(
                "this cluster was formatted without users: it runs without SASL", data=str(self.data_dir)
            )
            self.auth = False
        if self.auth:
            self.passwords = kafka_auth.load_or_create(self.data_dir)
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        (self.data_dir / "log4j2.properties").write_text(LOG4J2)
        self.members = [
            KafkaNode(
                node_id=n["id"],
                host=self.host,
                broker_port=n["broker_port"],
                controller_port=n["controller_port"],
                directory=self.data_dir / f"node-{n['id']}",
                log_file=self.data_dir / "logs" / f"kafka-{n['id']}.log",
            )
            for n in state["nodes"]
        ]

    def _write_properties(self, node: KafkaNode) -> None:
        settings = self.broker_properties(node)
        node.directory.mkdir(parents=True, exist_ok=True)
        node.properties_file.touch(mode=0o600)  # the brokers' password, when authenticated
        node.properties_file.chmod(0o600)
        node.properties_file.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))

    def broker_properties(self, node: KafkaNode) -> dict[str, object]:
        """A node's server.properties (docker-compose.yml's KAFKA_* say the same: test_compose.py)."""
        voters = ",".join(f"{n.node_id}@{self.host}:{n.controller_port}" for n in self.members)
        rf, isr = self.replication_factor, self.min_insync_replicas
        listeners: dict[str, object] = {
            "listeners": f"PLAINTEXT://{self.host}:{node.broker_port},CONTROLLER://{self.host}:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{node.broker_port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        }
        if self.auth:
            listeners = kafka_auth.listener_properties(
                self.host, node.broker_port, node.controller_port, self.passwords[kafka_auth.BROKER]
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
            "broker.session.timeout.ms": self.broker_session_timeout_ms,
            "broker.heartbeat.interval.ms": min(1_000, self.broker_session_timeout_ms // 3),
            "num.network.threads": 2,
            "num.io.threads": 4,
            "num.recovery.threads.per.data.dir": 1,
            # the log cleaner's buffer (128 MB by default, half the heap) only serves compacted internal
            # topics here; a node once died of OutOfMemoryError allocating it on a loaded machine
            "log.cleaner.dedupe.buffer.size": 32 * 1024 * 1024,
            "background.threads": 4,
        }

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
