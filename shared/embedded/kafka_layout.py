"""Where an Apache Kafka cluster of shared/embedded/apache_kafka.py lives in its data directory.

`cluster.json` holds the cluster id, whether it was formatted with SASL users and each node's ports:
chosen at the first start and kept, so a second start on the same directory is the same cluster. Each
node has its `node-<id>/` folder (log directory and properties) and its `logs/kafka-<id>.log`.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from shared.embedded.kafka_jars import ApacheKafkaError, new_cluster_id
from shared.embedded.ports import free_port_outside_ephemeral

STATE_FILE = "cluster.json"


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


@dataclass(frozen=True)
class Layout:
    cluster_id: str
    auth: bool  # formatted with SASL/SCRAM users (a cluster first formatted without them keeps none)
    nodes: list[KafkaNode]


def plan(
    data_dir: Path,
    *,
    nodes: int,
    host: str,
    version: str,
    auth: bool,
    broker_ports: tuple[int, ...] | None,
    controller_ports: tuple[int, ...] | None,
) -> Layout:
    """Cluster id and ports: from cluster.json when this data directory has run before (new broker
    ports win: clients moved, brokers advertise the new address), else chosen now and recorded."""
    state_file = data_dir / STATE_FILE
    if state_file.exists():
        state = json.loads(state_file.read_text())
        if len(state["nodes"]) != nodes:
            raise ApacheKafkaError(
                f"{data_dir} holds a cluster of {len(state['nodes'])} node(s), not {nodes}"
            )
        if broker_ports and [n["broker_port"] for n in state["nodes"]] != list(broker_ports):
            for entry, port in zip(state["nodes"], broker_ports, strict=True):
                entry["broker_port"] = port
            state_file.write_text(json.dumps(state, indent=2) + "\n")
    else:
        ports = broker_ports or tuple(free_port_outside_ephemeral(host) for _ in range(nodes))
        controllers = controller_ports or tuple(free_port_outside_ephemeral(host) for _ in range(nodes))
        if len(ports) != nodes or len(controllers) != nodes:
            raise ValueError(f"{nodes} port(s) of each kind wanted, got {ports}, {controllers}")
        state = {
            "cluster_id": new_cluster_id(),
            "version": version,
            "auth": auth,
            "nodes": [
                {"id": i + 1, "broker_port": port, "controller_port": controller}
                for i, (port, controller) in enumerate(zip(ports, controllers, strict=True))
            ],
        }
        data_dir.mkdir(parents=True, exist_ok=True)
        state_file.write_text(json.dumps(state, indent=2) + "\n")
    members = [
        KafkaNode(
            node_id=n["id"],
            host=host,
            broker_port=n["broker_port"],
            controller_port=n["controller_port"],
            directory=data_dir / f"node-{n['id']}",
            log_file=data_dir / "logs" / f"kafka-{n['id']}.log",
        )
        for n in state["nodes"]
    ]
    return Layout(state["cluster_id"], bool(state.get("auth", False)), members)
