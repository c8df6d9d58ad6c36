"""docker-compose.yml runs the same system on Apache Kafka and PostgreSQL: checked without a Docker engine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"intake": 8001, "matching": 8002, "sessions": 8003, "reporting": 8004, "web": 8005}
# the services that produce or consume events; the web app reads their APIs and never connects to a broker
BROKER_CLIENTS = ("intake", "matching", "sessions", "reporting")
BROKERS = ("kafka", "kafka-2", "kafka-3")
PASSWORDS = {
    f"MENTORNET_KAFKA_PASSWORD_{user.upper()}": f"test-{user}"
    for user in ("broker", "admin", "intake", "matching", "sessions", "reporting")
}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_a_real_compose_implementation_accepts_the_file():
    tool = shutil.which("docker-compose")
    assert tool, (
        "docker-compose not installed: `python3 dev.py test` installs Debian's package when run as root"
    )
    env = {
        **os.environ,
        "MENTORNET_ADMIN_TOKEN": "test-token",
        "MENTORNET_REMINDER_SECRET": "test-secret",
        **PASSWORDS,
    }
    result = subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert set(resolved["services"]) == {*BROKERS, "kafka-acls", "postgres", "mailpit", *SERVICES}


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
    for name in BROKER_CLIENTS:
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
        assert env["MENTORNET_DATABASE_URL"].endswith(f"/mentornet_{name}")
        assert f"CREATE DATABASE mentornet_{name};" in init_sql
        if name in BROKER_CLIENTS:
            assert env["MENTORNET_ENABLE_IDEMPOTENCE"] == "true"
            assert service["depends_on"] == {
                "kafka": {"condition": "service_healthy"},
                "kafka-acls": {"condition": "service_completed_successfully"},
                "postgres": {"condition": "service_healthy"},
            }
        else:  # the web app: no broker to wait for
            assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
        urls.add(env["MENTORNET_DATABASE_URL"])
    assert len(urls) == len(SERVICES)


def test_the_image_runs_the_service_named_by_compose():
    dockerfile = (ROOT / "deploy/Dockerfile").read_text()
    assert "python -m services.${SERVICE}" in dockerfile
    for name in SERVICES:
        assert (ROOT / "services" / name / "__main__.py").exists()


# What the cluster tests run (tests/cluster/conftest.py, shared/embedded/apache_kafka.py) and what
# compose runs must not drift apart: the brokers' settings, the topics' and the services'.
NODE_SPECIFIC = {"node.id", "listeners", "advertised.listeners", "controller.quorum.voters", "log.dirs"}
MUST_AGREE = {
    "process.roles",
    "default.replication.factor",
    "min.insync.replicas",
    "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor",
    "transaction.state.log.min.isr",
    "unclean.leader.election.enable",
    "auto.create.topics.enable",
    "log.retention.ms",
    "log.retention.bytes",
    "group.initial.rebalance.delay.ms",
    "controller.listener.names",
    "listener.security.protocol.map",
    "inter.broker.listener.name",
    "sasl.enabled.mechanisms",
    "sasl.mechanism.inter.broker.protocol",
    "sasl.mechanism.controller.protocol",
    "listener.name.controller.sasl.enabled.mechanisms",
    "listener.name.client.scram-sha-512.sasl.jaas.config",
    "listener.name.controller.plain.sasl.jaas.config",
    "authorizer.class.name",
    "allow.everyone.if.no.acl.found",
    "super.users",
}


def compose_broker_properties(broker: str) -> dict[str, str]:
    """A compose broker's KAFKA_FOO_BAR environment as the foo.bar properties the image writes (its
    rules: ___ is -, __ is _, _ is .)."""
    env = compose()["services"][broker]["environment"]
    return {
        key[len("KAFKA_") :]
        .lower()
        .replace("___", "-")
        .replace("__", "\0")
        .replace("_", ".")
        .replace("\0", "_"): str(value)
        for key, value in env.items()
        if key.startswith("KAFKA_")
    }


def runner_broker_properties(tmp_path: Path) -> list[dict[str, str]]:
    from shared.embedded.apache_kafka import ApacheKafkaCluster
    from tests.cluster.conftest import NODES

    cluster = ApacheKafkaCluster(tmp_path, nodes=NODES)
    cluster._plan()  # ports and the cluster id: what start() writes, without starting anything
    return [{k: str(v) for k, v in cluster.broker_properties(node).items()} for node in cluster.members]


def _same(name: str, value: str) -> str:
    if name == "listener.security.protocol.map":  # an unordered mapping
        return ",".join(sorted(value.split(",")))
    if name.endswith("sasl.jaas.config"):  # the same users; passwords generated here, ${...} there
        return re.sub(r'(password|user_\w+)="[^"]*"', r'\1="*"', value)
    return value


def test_compose_brokers_run_the_settings_the_cluster_tests_run(tmp_path):
    from shared.embedded.apache_kafka import KAFKA_VERSION
    from tests.cluster.conftest import MIN_INSYNC_REPLICAS, NODES, REPLICATION_FACTOR

    runner = runner_broker_properties(tmp_path)
    assert len(BROKERS) == len(runner) == NODES
    for broker, ours in zip(BROKERS, runner, strict=True):
        theirs = compose_broker_properties(broker)
        assert MUST_AGREE <= set(theirs), f"{broker} does not say {sorted(MUST_AGREE - set(theirs))}"
        assert MUST_AGREE <= set(ours), f"the runner does not say {sorted(MUST_AGREE - set(ours))}"
        for name in set(theirs) - NODE_SPECIFIC:
            assert name in ours, f"compose's {broker} sets {name}; the cluster tests' brokers do not"
            assert _same(name, theirs[name]) == _same(name, ours[name]), (name, theirs[name], ours[name])
        assert len(theirs["controller.quorum.voters"].split(",")) == len(
            ours["controller.quorum.voters"].split(",")
        )
    assert runner[0]["default.replication.factor"] == str(REPLICATION_FACTOR) == "3"
    assert runner[0]["min.insync.replicas"] == str(MIN_INSYNC_REPLICAS) == "2"
    assert runner[0]["log.retention.ms"] == "-1"
    image = compose()["services"]["kafka"]["image"]
    assert image == f"apache/kafka:{KAFKA_VERSION}", "compose runs another Apache Kafka than the tests"


def test_compose_services_and_topics_have_the_cluster_tests_settings():
    from shared.messaging.topic_config import wanted_configs
    from shared.settings import ServiceSettings
    from tests.cluster.conftest import SERVICE_SETTINGS, TOPIC_CONFIGS

    services = compose()["services"]
    for name in BROKER_CLIENTS:
        env = services[name]["environment"]
        for setting, value in SERVICE_SETTINGS.items():
            assert env[f"MENTORNET_{setting.upper()}"] == str(value).lower(), (name, setting)
        settings = ServiceSettings(
            **{k.removeprefix("MENTORNET_").lower(): v for k, v in env.items() if k.startswith("MENTORNET_")}
        )
        # the topics the services create and reconcile on compose's brokers are the cluster tests' topics
        assert wanted_configs(settings) == TOPIC_CONFIGS
        assert settings.enable_idempotence and settings.topic_replication_factor == 3


def test_intake_sends_its_reminders_to_the_mail_catcher():
    services = compose()["services"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")
    intake = services["intake"]["environment"]
    assert intake["MENTORNET_SMTP_HOST"] == "${MENTORNET_SMTP_HOST:-mailpit}"
    assert intake["MENTORNET_SMTP_PORT"] == "${MENTORNET_SMTP_PORT:-1025}"
    secret = intake["MENTORNET_REMINDER_SECRET"]
    assert (
        secret.startswith("${MENTORNET_REMINDER_SECRET:?")
        and secret == services["web"]["environment"]["MENTORNET_REMINDER_SECRET"]
    )


def test_every_broker_client_signs_in_as_its_own_user_and_the_acls_are_laid_down_first():
    from shared.messaging.acls import SERVICE_USERS, USERS

    services = compose()["services"]
    script = (ROOT / "deploy/apache-kafka/format-with-users.sh").read_text()
    listed = re.search(r"for user in ([a-z ]+); do", script)
    assert listed and tuple(listed[1].split()) == USERS  # the SCRAM users the nodes are formatted with
    assert set(PASSWORDS) == {f"MENTORNET_KAFKA_PASSWORD_{user.upper()}" for user in USERS}
    for broker in BROKERS:
        node = services[broker]
        assert node["command"] == ["bash", "/opt/mentornet/format-with-users.sh"]
        assert any(v.startswith("./deploy/apache-kafka/format-with-users.sh:") for v in node["volumes"])
        assert "--command-config" in " ".join(node["healthcheck"]["test"])
        for variable in PASSWORDS:
            assert node["environment"][variable].startswith(f"${{{variable}"), (
                "passwords only from the environment"
            )
        given = {v for v in node["environment"] if v.startswith("MENTORNET_KAFKA_PASSWORD_")}
        assert given == set(PASSWORDS)  # no user the ACLs do not know (web has none)
    assert set(BROKER_CLIENTS) == set(SERVICE_USERS)
    for name in set(SERVICES) - set(BROKER_CLIENTS):  # it never connects: no broker settings at all
        assert not [v for v in services[name]["environment"] if v.startswith("MENTORNET_KAFKA_")], name
    for name in BROKER_CLIENTS:
        env = services[name]["environment"]
        assert env["MENTORNET_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
        assert env["MENTORNET_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["MENTORNET_KAFKA_USERNAME"] == name
        assert env["MENTORNET_KAFKA_PASSWORD"].startswith(f"${{MENTORNET_KAFKA_PASSWORD_{name.upper()}:?")
    acls = services["kafka-acls"]
    assert acls["command"] == ["mentornet", "kafka-acls"]
    assert acls["environment"]["MENTORNET_KAFKA_USERNAME"] == "admin"
    assert acls["depends_on"] == {"kafka": {"condition": "service_healthy"}}
