"""Who may do what on Apache Kafka (StandardAuthorizer ACLs), derived from shared/topics.py.

Each service that produces or consumes events signs in as its own user (the web app does neither and
never connects). It may WRITE only the topics it produces (its own, and the
dead-letter and parked topics every consumer writes to), READ the topics it consumes, use the consumer
groups named after it (`<prefix>mentornet-<service>...`), and create and describe the stack's topics
(the first service up creates them all). Nothing else is allowed: no ACL, no access. The operator
(`admin`) and the brokers themselves (`broker`) are super users.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import IntEnum

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest, DescribeAclsRequest

from shared.messaging.kafka import admin_client
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS, Topic, broker_clients

ADMIN = "admin"  # the operator: topics, ACLs, replays of parked and dead-lettered events
BROKER = "broker"  # the brokers' own principal between themselves and towards the controllers
SUPER_USERS = (ADMIN, BROKER)
# every service that signs in: whoever produces or consumes a topic (not the web app, which reads the
# services' APIs, not their events, and never connects to the broker: shared/runtime.py)
SERVICE_USERS: tuple[str, ...] = broker_clients()
USERS = (*SUPER_USERS, *SERVICE_USERS)


class Resource(IntEnum):  # Kafka's ResourceType codes
    ANY = 1
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4


class Operation(IntEnum):  # Kafka's AclOperation codes
    ANY = 1
    READ = 3
    WRITE = 4
    CREATE = 5
    DESCRIBE = 8
    DESCRIBE_CONFIGS = 10
    ALTER_CONFIGS = 11
    IDEMPOTENT_WRITE = 12


class Pattern(IntEnum):  # Kafka's PatternType codes
    ANY = 1
    LITERAL = 3
    PREFIXED = 4


ALLOW = 3  # AclPermissionType.ALLOW


@dataclass(frozen=True, order=True)
class Acl:
    user: str
    resource: Resource
    name: str
    pattern: Pattern
    operation: Operation

    @property
    def principal(self) -> str:
        return f"User:{self.user}"


def writers(topic: Topic) -> tuple[str, ...]:
    """Who may write a topic: its producer; for the dead-letter and parked topics, every consumer."""
    if topic.producer != "any":
        return (topic.producer,)
    return tuple(dict.fromkeys(c for t in ALL_TOPICS for c in t.consumers))


def acls(prefix: str = "") -> list[Acl]:
    """Every ACL the stack needs for topics named `<prefix>mentornet....` (tests use one prefix each)."""
    found = []
    for user in SERVICE_USERS:
        # a producer id for its idempotent producer, and nothing more: writing still needs a topic's WRITE
        found.append(
            Acl(user, Resource.CLUSTER, "kafka-cluster", Pattern.LITERAL, Operation.IDEMPOTENT_WRITE)
        )
        for operation in (Operation.CREATE, Operation.DESCRIBE, Operation.DESCRIBE_CONFIGS):
            found.append(Acl(user, Resource.TOPIC, f"{prefix}mentornet.", Pattern.PREFIXED, operation))
        for topic in ALL_TOPICS:
            name = topic.name(prefix)
            if user in writers(topic):
                found.append(Acl(user, Resource.TOPIC, name, Pattern.LITERAL, Operation.WRITE))
                found.append(Acl(user, Resource.TOPIC, name, Pattern.LITERAL, Operation.ALTER_CONFIGS))
            if user in topic.consumers:
                found.append(Acl(user, Resource.TOPIC, name, Pattern.LITERAL, Operation.READ))
        if any(user in t.consumers for t in ALL_TOPICS):
            group = f"{prefix}mentornet-{user}"  # shared/runtime.py's group id, and its rebuild's
            found.append(Acl(user, Resource.GROUP, group, Pattern.PREFIXED, Operation.READ))
    return found


class AclRefused(RuntimeError):
    """The broker did not take an ACL (the message names which and why)."""


async def apply(settings: ServiceSettings, prefix: str | None = None, timeout_s: float = 30) -> list[Acl]:
    """Create the stack's ACLs (idempotent: an existing ACL is created again as itself), as the
    operator whose credentials `settings` holds; returns once every broker enforces them."""
    wanted = acls(settings.topic_prefix if prefix is None else prefix)
    admin = admin_client(settings)
    await admin.start()
    try:
        answers = await asyncio.gather(*(admin._send_request(_create(acl)) for acl in wanted))
        for acl, answer in zip(wanted, answers, strict=True):
            for code, message in answer.creation_responses:
                if code:
                    raise AclRefused(f"{acl}: {for_code(code).__name__}: {message}")
        await asyncio.wait_for(_everywhere(admin, set(wanted)), timeout_s)
    finally:
        await admin.close()
    return wanted


async def _everywhere(admin: AIOKafkaAdminClient, wanted: set[Acl]) -> None:
    """Until every broker lists every wanted ACL (brokers apply the controller's log a moment later)."""
    nodes = [broker.nodeId for broker in admin._client.cluster.brokers()]
    for node in nodes:
        while True:
            if wanted <= await _listed(admin, node):
                break
            await asyncio.sleep(0.05)


async def _listed(admin: AIOKafkaAdminClient, node: int) -> set[Acl]:
    request = DescribeAclsRequest(
        Resource.ANY,
        None,
        Pattern.ANY,
        None,
        None,
        Operation.ANY,
        ALLOW,
    )
    answer = await admin._send_request_to_node(node, request)
    found = set()
    for resource, name, pattern, entries in answer.resources:
        for principal, _host, operation, _permission in entries:
            user = principal.removeprefix("User:")
            try:
                found.add(Acl(user, Resource(resource), name, Pattern(pattern), Operation(operation)))
            except ValueError:
                continue  # an ACL of a kind this module never creates
    return found


def _create(acl: Acl) -> CreateAclsRequest:
    return CreateAclsRequest(acl.resource, acl.name, acl.pattern, acl.principal, "*", acl.operation, ALLOW)
