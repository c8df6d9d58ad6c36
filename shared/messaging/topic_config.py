"""Topic settings that keep the event log whole: history kept for ever, enough replicas for acks=all.

`rebuild` and every new consumer read the topics from offset 0, so a topic must never drop a record by
age or size. New topics get these settings at creation; existing ones are described and altered where
they differ (IncrementalAlterConfigs, else AlterConfigs with the topic's other overrides kept). A broker
that can do neither (the embedded tansu) gets a warning naming what it keeps, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import IncompatibleBrokerVersion, TopicAuthorizationFailedError, for_code
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Boolean, Int8, Int16, Int32, Schema, String

from shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

KEEP_FOR_EVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}
_TOPIC = int(ConfigResourceType.TOPIC)
_DYNAMIC_TOPIC_CONFIG = 1  # DescribeConfigs config_source: set on this topic (not a default)


def wanted_configs(settings: ServiceSettings) -> dict[str, str]:
    """What every mentornet topic must say, whoever created it."""
    return {**KEEP_FOR_EVER, "min.insync.replicas": str(settings.topic_min_insync_replicas)}


@dataclass(frozen=True)
class ConfigChange:
    topic: str
    name: str
    before: str | None  # None: the broker did not say
    after: str


@dataclass(frozen=True)
class TopicConfigs:
    """A topic's described settings: every value seen, and which of them are set on the topic itself."""

    values: Mapping[str, str | None]
    overrides: Mapping[str, str | None]


def differences(
    topic: str, current: Mapping[str, str | None], wanted: Mapping[str, str]
) -> list[ConfigChange]:
    return [
        ConfigChange(topic, name, current.get(name), value)
        for name, value in wanted.items()
        if current.get(name) != value
    ]


class ConfigsNotAlterable(RuntimeError):
    """The broker implements neither IncrementalAlterConfigs nor AlterConfigs."""


async def describe(admin: AIOKafkaAdminClient, topics: Iterable[str]) -> dict[str, TopicConfigs]:
    """Every topic's settings as the broker reports them (raises IncompatibleBrokerVersion if it cannot)."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, topic) for topic in topics]
    (response,) = await admin.describe_configs(resources)
    described: dict[str, TopicConfigs] = {}
    for error_code, message, _type, name, entries in response.resources:
        if error_code:
            raise for_code(error_code)(f"describe configs of {name}: {message}")
        values = {entry[0]: entry[1] for entry in entries}
        if response.API_VERSION == 0:  # (name, value, read_only, is_default, is_sensitive)
            overrides = {entry[0]: entry[1] for entry in entries if not entry[3]}
        else:  # (name, value, read_only, config_source, is_sensitive, synonyms)
            overrides = {entry[0]: entry[1] for entry in entries if entry[3] == _DYNAMIC_TOPIC_CONFIG}
        described[name] = TopicConfigs(values, overrides)
    return described


async def alter(
    admin: AIOKafkaAdminClient, changes: list[ConfigChange], described: Mapping[str, TopicConfigs]
) -> str:
    """Apply the changes; returns the API that did it. Raises ConfigsNotAlterable on a broker with neither."""
    by_topic: dict[str, dict[str, str]] = {}
    for change in changes:
        by_topic.setdefault(change.topic, {})[change.name] = change.after
    try:
        incremental = [
            (_TOPIC, topic, [(name, _SET, value) for name, value in configs.items()])
            for topic, configs in by_topic.items()
        ]
        _raise_errors(await admin._send_request(IncrementalAlterConfigsRequest(incremental)))
        return "IncrementalAlterConfigs"
    except IncompatibleBrokerVersion:
        pass
    # AlterConfigs replaces a topic's whole set of overrides: send the ones it has beside ours.
    whole = [
        ConfigResource(ConfigResourceType.TOPIC, topic, {**_set(described[topic].overrides), **configs})
        for topic, configs in by_topic.items()
    ]
    try:
        for response in await admin.alter_configs(whole):
            _raise_errors(response)
    except IncompatibleBrokerVersion as error:
        raise ConfigsNotAlterable(str(error)) from error
    return "AlterConfigs"


async def reconcile(
    admin: AIOKafkaAdminClient, settings: ServiceSettings, topics: list[str]
) -> list[ConfigChange]:
    """Bring existing topics to `wanted_configs`; returns the changes made (logged), [] where none could be."""
    if not topics:
        return []
    wanted = wanted_configs(settings)
    try:
        described = await describe(admin, topics)
    except IncompatibleBrokerVersion:
        log.warning(
            "broker cannot describe topic configs: retention of existing topics unchecked", topics=topics
        )
        return []
    changes = [change for topic in topics for change in differences(topic, described[topic].values, wanted)]
    if not changes:
        return []
    try:
        api, changes = await _alter_each(admin, changes, described)
    except ConfigsNotAlterable:
        log.warning(
            "broker cannot alter topic configs: existing topics keep their settings",
            differences=[_describe(c) for c in changes],
        )
        return []
    for change in changes:
        log.info(
            "topic config changed",
            topic=change.topic,
            config=change.name,
            before=change.before,
            after=change.after,
            api=api,
        )
    return changes


async def _alter_each(
    admin: AIOKafkaAdminClient, changes: list[ConfigChange], described: dict[str, Any]
) -> tuple[str, list[ConfigChange]]:
    """Alter topic by topic: on Apache Kafka with ACLs a service may alter only the topics it writes
    (shared/messaging/acls.py); another's is left to its producer, with a warning."""
    api, made = "", []
    for topic in dict.fromkeys(c.topic for c in changes):
        mine = [c for c in changes if c.topic == topic]
        try:
            api = await alter(admin, mine, described)
        except TopicAuthorizationFailedError:
            log.warning(
                "not allowed to alter this topic's settings: left to its producer",
                topic=topic,
                differences=[_describe(c) for c in mine],
            )
            continue
        made += mine
    return api, made


def under_replicated(topics: list[dict[str, Any]], wanted: int) -> dict[str, int]:
    """Topics whose partitions have fewer replicas than wanted: the fewest each has."""
    short: dict[str, int] = {}
    for topic in topics:
        fewest = min((len(p["replicas"]) for p in topic["partitions"]), default=0)
        if fewest < wanted:
            short[topic["topic"]] = fewest
    return short


def _describe(change: ConfigChange) -> str:
    return f"{change.topic} {change.name}={change.before} (wanted {change.after})"


def _set(configs: Mapping[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in configs.items() if value is not None}


def _raise_errors(response: Response) -> None:
    for error_code, message, _type, name in response.resources:
        if error_code:
            raise for_code(error_code)(f"alter configs of {name}: {message}")


# ---- IncrementalAlterConfigs (KIP-339, API key 44): aiokafka 0.14 has only the legacy AlterConfigs.

_SET = 0  # config_operation: SET (1 DELETE, 2 APPEND, 3 SUBTRACT)


class IncrementalAlterConfigsResponse_v0(Response):
    API_KEY = 44
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "resources",
            Array(
                ("error_code", Int16),
                ("error_message", String("utf-8")),
                ("resource_type", Int8),
                ("resource_name", String("utf-8")),
            ),
        ),
    )


class IncrementalAlterConfigsRequest_v0(RequestStruct):
    API_KEY = 44
    API_VERSION = 0
    RESPONSE_TYPE = IncrementalAlterConfigsResponse_v0
    SCHEMA = Schema(
        (
            "resources",
            Array(
                ("resource_type", Int8),
                ("resource_name", String("utf-8")),
                (
                    "configs",
                    Array(
                        ("name", String("utf-8")),
                        ("config_operation", Int8),
                        ("value", String("utf-8")),
                    ),
                ),
            ),
        ),
        ("validate_only", Boolean),
    )


class IncrementalAlterConfigsRequest(Request[IncrementalAlterConfigsRequest_v0]):
    API_KEY = 44

    def __init__(self, resources: list[Any], validate_only: bool = False) -> None:
        self._resources = resources
        self._validate_only = validate_only

    def build(
        self, request_struct_class: type[IncrementalAlterConfigsRequest_v0]
    ) -> IncrementalAlterConfigsRequest_v0:
        return request_struct_class(self._resources, self._validate_only)
