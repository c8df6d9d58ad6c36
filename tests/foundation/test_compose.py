"""docker-compose.yml runs the same system on Apache Kafka and PostgreSQL: checked without a Docker engine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"intake": 8001, "matching": 8002, "sessions": 8003, "reporting": 8004, "web": 8005}
BROKERS = ("kafka", "kafka-2", "kafka-3")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_a_real_compose_implementation_accepts_the_file():
    tool = shutil.which("docker-compose")
    assert tool, (
        "docker-compose not installed: `python3 dev.py test` installs Debian's package when run as root"
    )
    env = {**os.environ, "MENTORNET_ADMIN_TOKEN": "test-token"}
    result = subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert set(resolved["services"]) == {*BROKERS, "postgres", *SERVICES}


def test_kafka_is_apache_kafka_in_kraft_mode_with_a_healthcheck():
    kafka = compose()["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert "controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"  # services create their topics
    assert kafka["healthcheck"]["test"]


def test_three_brokers_hold_three_replicas_of_every_topic_two_of_them_in_sync():
    services = compose()["services"]
    voters = {services[b]["environment"]["KAFKA_CONTROLLER_QUORUM_VOTERS"] for b in BROKERS}
    assert voters == {"1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093"}
    assert sorted(services[b]["environment"]["KAFKA_NODE_ID"] for b in BROKERS) == ["1", "2", "3"]
    assert len({services[b]["environment"]["CLUSTER_ID"] for b in BROKERS}) == 1
    assert len({tuple(services[b]["volumes"]) for b in BROKERS}) == 3  # each node its own data
    for name in SERVICES:
        env = services[name]["environment"]
        assert env["MENTORNET_KAFKA_BOOTSTRAP"] == ",".join(f"{b}:9092" for b in BROKERS)
        assert env["MENTORNET_TOPIC_REPLICATION_FACTOR"] == "3"
        assert env["MENTORNET_TOPIC_MIN_INSYNC_REPLICAS"] == "2"
    assert "-ge 3" in services["kafka"]["healthcheck"]["test"][1]  # services start once all 3 are up


def test_each_service_has_its_own_database_and_waits_for_healthy_infrastructure():
    services = compose()["services"]
    init_sql = (ROOT / "deploy/postgres/init-databases.sql").read_text()
    urls = set()
    for name, port in SERVICES.items():
        service = services[name]
        env = service["environment"]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert env["SERVICE"] == name
        assert env["MENTORNET_HTTP_PORT"] == str(port)
        assert env["MENTORNET_ENABLE_IDEMPOTENCE"] == "true"
        assert env["MENTORNET_DATABASE_URL"].endswith(f"/mentornet_{name}")
        assert f"CREATE DATABASE mentornet_{name};" in init_sql
        assert service["depends_on"] == {
            "kafka": {"condition": "service_healthy"},
            "postgres": {"condition": "service_healthy"},
        }
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
        urls.add(env["MENTORNET_DATABASE_URL"])
    assert len(urls) == len(SERVICES)


def test_the_image_runs_the_service_named_by_compose():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assert "python -m services.${SERVICE}" in dockerfile
    for name in SERVICES:
        assert (ROOT / "services" / name / "__main__.py").exists()
