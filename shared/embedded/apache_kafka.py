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

import base64
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from shared.embedded.children import popen  # dies with the stack or test that started it
from shared.embedded.ports import free_port_outside_ephemeral, port_in_use

log = structlog.get_logger(__name__)

KAFKA_VERSION = os.environ.get("MENTORNET_APACHE_KAFKA_VERSION", "4.4.0")
POM = Path(__file__).resolve().parents[2] / "deploy" / "apache-kafka" / "pom.xml"
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


class ApacheKafkaError(RuntimeError):
    """Apache Kafka could not be fetched or started; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------------
# Java, Maven and the jars


def cache_root() -> Path:
    """Where fetched things are kept between clones: `MENTORNET_CACHE_DIR`, else ~/.cache/mentornet."""
    if chosen := os.environ.get("MENTORNET_CACHE_DIR"):
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mentornet"


def java_major(java: str) -> int:
    """The major version of a `java` executable (8 for "1.8.0_x", 17 for "17.0.15")."""
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        raise ApacheKafkaError(f"could not read the version of {java}: {done.stderr.strip()!r}")
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ApacheKafkaError(
            "Apache Kafka needs Java 17 or newer and no `java` is on PATH: install one"
            " (e.g. `apt-get install openjdk-17-jre-headless`) or use the embedded broker"
        )
    major = java_major(java)
    if major < 17:
        raise ApacheKafkaError(f"Apache Kafka 4 needs Java 17 or newer; {java} is Java {major}")
    return java


def kafka_jars(version: str = KAFKA_VERSION) -> Path:
    """The folder holding Apache Kafka's jars, fetched with Maven the first time (then reused)."""
    target = cache_root() / "apache-kafka" / version
    jars = target / "jars"
    if (jars / ".complete").exists():
        return jars
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ApacheKafkaError(
            f"Apache Kafka's jars are not in {jars} yet and fetching them needs Maven: install it"
            " (e.g. `apt-get install maven`) or use the embedded broker"
        )
    if not POM.exists():
        raise ApacheKafkaError(f"{POM} is missing: run from a clone of the repository")
    target.mkdir(parents=True, exist_ok=True)
    with _locked(target / ".lock"):
        if (jars / ".complete").exists():  # another process fetched them meanwhile
            return jars
        partial = target / "jars.partial"
        shutil.rmtree(partial, ignore_errors=True)
        log.info("fetching Apache Kafka's jars", version=version, into=str(jars))
        command = [
            mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
            f"-Dkafka.version={version}", f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, cwd=target)
        if done.returncode != 0:
            raise ApacheKafkaError(
                f"Maven could not fetch org.apache.kafka:kafka_2.13:{version}:\n"
                f"{(done.stdout + done.stderr).strip()[-3000:]}"
            )
        (partial / ".complete").write_text(version)
        shutil.rmtree(jars, ignore_errors=True)
        partial.rename(jars)
    return jars


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_cluster_id() -> str:
    """A KRaft cluster id: a random UUID in URL-safe base64, not starting with '-' (as Kafka's own)."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


# ---------------------------------------------------------------------------------------------------
# Asking a broker for its metadata, without a client library (usable with or without an event loop)


@dataclass(frozen=True)
class Metadata:
    cluster_id: str | None
    controller_id: int
    brokers: dict[int, tuple[str, int]]
    leaders: dict[str, dict[int, int]]  # topic -> partition -> leader node id (-1: none)
    replicas: dict[str, dict[int, tuple[list[int], list[int]]]]  # topic -> partition -> (replicas, isr)


def metadata(host: str, port: int, topics: list[str] | None = None, timeout_s: float = 2.0) -> Metadata:
    """One Metadata request (v4) to one broker; raises OSError when it does not answer in time."""
    client = b"mentornet"
    body = struct.pack(">hhih", 3, 4, 1, len(client)) + client
    if topics is None:
        body += struct.pack(">i", -1)
    else:
        body += struct.pack(">i", len(topics))
        for topic in topics:
            name = topic.encode()
            body += struct.pack(">h", len(name)) + name
    body += b"\x00"  # allow_auto_topic_creation: false
    with socket.create_connection((host, port), timeout=timeout_s) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", _read(sock, 4))
        return _parse_metadata(_Reader(_read(sock, size)))


def _read(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("the broker closed the connection")
        chunks += chunk
    return bytes(chunks)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return int(value)

    def string(self) -> str | None:
        size = self.take(">h")
        if size < 0:
            return None
        value = self.data[self.at : self.at + size].decode()
        self.at += size
        return value

    def ints(self) -> list[int]:
        return [self.take(">i") for _ in range(self.take(">i"))]


def _parse_metadata(r: _Reader) -> Metadata:
    r.take(">i")  # correlation id
    r.take(">i")  # throttle time
    brokers = {}
    for _ in range(r.take(">i")):
        node_id, host, port = r.take(">i"), r.string(), r.take(">i")
        r.string()  # rack
        brokers[node_id] = (str(host), port)
    cluster_id, controller_id = r.string(), r.take(">i")
    leaders: dict[str, dict[int, int]] = {}
    replicas: dict[str, dict[int, tuple[list[int], list[int]]]] = {}
    for _ in range(r.take(">i")):
        error, name = r.take(">h"), str(r.string())
        r.take(">b")  # is_internal
        partitions = r.take(">i")
        if error:
            continue
        leaders[name], replicas[name] = {}, {}
        for _ in range(partitions):
            r.take(">h")  # partition error
            index, leader = r.take(">i"), r.take(">i")
            replicas[name][index] = (r.ints(), r.ints())
            leaders[name][index] = leader
    return Metadata(cluster_id, controller_id, brokers, leaders, replicas)


# ---------------------------------------------------------------------------------------------------
# Nodes and the cluster


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
    members: list[KafkaNode] = field(default_factory=list, init=False)
    cluster_id: str = field(default="", init=False)

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

    def metadata(self, topics: list[str] | None = None) -> Metadata:
        """The cluster's metadata, from the first running node that answers."""
        error: OSError = ConnectionError("no node is running")
        for node in self.members:
            if node.running:
                try:
                    return metadata(self.host, node.broker_port, topics)
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
        try:
            answer = metadata(self.host, node.broker_port)
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
                "nodes": [
                    {"id": i + 1, "broker_port": port, "controller_port": controller}
                    for i, (port, controller) in enumerate(zip(ports, controllers, strict=True))
                ],
            }
            self.data_dir.mkdir(parents=True, exist_ok=True)
            state_file.write_text(json.dumps(state, indent=2) + "\n")
        self.cluster_id = state["cluster_id"]
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
        node.properties_file.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))

    def broker_properties(self, node: KafkaNode) -> dict[str, object]:
        """A node's server.properties (docker-compose.yml's KAFKA_* say the same: test_compose.py)."""
        voters = ",".join(f"{n.node_id}@{self.host}:{n.controller_port}" for n in self.members)
        rf, isr = self.replication_factor, self.min_insync_replicas
        return {
            "process.roles": "broker,controller",
            "node.id": node.node_id,
            "controller.quorum.voters": voters,
            "listeners": f"PLAINTEXT://{self.host}:{node.broker_port},CONTROLLER://{self.host}:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{node.broker_port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
            "background.threads": 4,
        }

    def _format(self, java: str, jars: Path, node: KafkaNode) -> None:
        done = subprocess.run(
            [
                java, *HEAP, "-cp", f"{jars}/*", "kafka.tools.StorageTool", "format",
                "--cluster-id", self.cluster_id, "--config", str(node.properties_file),
                "--ignore-formatted",
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
        output = open(node.log_file, "ab")  # noqa: SIM115 - owned by the child
        try:
            node.process = popen(
                [
                    java, *JAVA_OPTIONS, f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
                    "-cp", f"{jars}/*", "kafka.Kafka", str(node.properties_file),
                ],
                stdout=output,
                stderr=output,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        finally:
            output.close()
