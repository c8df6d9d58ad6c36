"""Authenticated Apache Kafka for the embedded cluster: one SCRAM-SHA-512 user per service, the operator
(`admin`) and the brokers (`broker`), passwords generated into the data directory, and the listener and
authorizer settings every node runs with (docker-compose.yml's brokers say the same: test_compose.py).

Clients reach the `CLIENT` listener (SASL_PLAINTEXT, SCRAM-SHA-512); the brokers replicate over it as
`broker`. The controllers' listener (`CONTROLLER`) takes SASL PLAIN from `broker` only, whose password
the nodes' properties hold: SCRAM users live in the metadata log, which a controller must read before it
could check them. Neither listener encrypts: both listen on 127.0.0.1 (TLS would be SASL_SSL).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from shared.messaging.acls import ADMIN, BROKER, SUPER_USERS, USERS

MECHANISM = "SCRAM-SHA-512"
CREDENTIALS_FILE = "credentials.json"


def load_or_create(data_dir: Path) -> dict[str, str]:
    """Every user's password: generated once into `<data dir>/credentials.json` (mode 600), then read."""
    path = data_dir / CREDENTIALS_FILE
    if path.exists():
        known: dict[str, str] = json.loads(path.read_text())
        if set(USERS) <= set(known):
            return known
    passwords = {user: secrets.token_urlsafe(24) for user in USERS}
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(passwords, indent=2) + "\n")
    return passwords


def scram_arguments(passwords: dict[str, str]) -> list[str]:
    """StorageTool's `--add-scram` for every user: the credentials exist before any node starts."""
    found = []
    for user in USERS:
        found += ["--add-scram", f"{MECHANISM}=[name={user},password={passwords[user]}]"]
    return found


def listener_properties(
    host: str, broker_port: int, controller_port: int, broker_password: str
) -> dict[str, object]:
    """Listeners, SASL and the authorizer of one node."""
    scram = f'org.apache.kafka.common.security.scram.ScramLoginModule required username="{BROKER}" password="{broker_password}";'
    plain = (
        f'org.apache.kafka.common.security.plain.PlainLoginModule required username="{BROKER}"'
        f' password="{broker_password}" user_{BROKER}="{broker_password}";'
    )
    return {
        "listeners": f"CLIENT://{host}:{broker_port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"CLIENT://{host}:{broker_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "CLIENT",
        "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": MECHANISM,
        "sasl.mechanism.inter.broker.protocol": MECHANISM,
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        f"listener.name.client.{MECHANISM.lower()}.sasl.jaas.config": scram,
        "listener.name.controller.plain.sasl.jaas.config": plain,
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        "super.users": ";".join(f"User:{user}" for user in SUPER_USERS),
    }


def client_settings(bootstrap: str, user: str, passwords: dict[str, str]) -> dict[str, object]:
    """ServiceSettings fields (MENTORNET_KAFKA_* in lower case) that sign in to `bootstrap` as `user`."""
    return {
        "kafka_bootstrap": bootstrap,
        "kafka_security_protocol": "SASL_PLAINTEXT",
        "kafka_sasl_mechanism": MECHANISM,
        "kafka_username": user,
        "kafka_password": passwords[user],
    }


def operator_credentials(passwords: dict[str, str]) -> tuple[str, str]:
    return ADMIN, passwords[ADMIN]
