"""Decoding events off the wire: the type registry and the upcasters for old schema versions."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import structlog
from pydantic import ValidationError

from shared.events import intake, matching, sessions
from shared.events.envelope import Event

log = structlog.get_logger(__name__)

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for module in (intake, matching, sessions)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Event) and cls is not Event
}

# (event_type, from_version) -> function turning a from_version payload into from_version + 1.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def _plain_personal_values(data: dict[str, Any]) -> dict[str, Any]:
    """v1 -> v2 of the contracts whose personal fields became sealed: a v1 value stays plain text (the
    log is never rewritten); consumers read it as erased once its subject is (shared/privacy)."""
    return data


for _sealed in ("CompanyRegistered", "ParticipantRegistered", "ParticipantProfileUpdated", "PairEnded"):
    UPCASTERS[(_sealed, 1)] = _plain_personal_values


def fields_wrong(error: ValidationError) -> str:
    """`loc: type` for each problem, never the value refused (it may be a name): safe for logs."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['type']}" for e in error.errors())


class UndecodableEvent(ValueError):
    """The bytes are not an event this service can read (a poison message)."""


class NewerSchemaVersion(Exception):
    """A known event type at a version this code does not understand yet: park it until an upgrade."""

    def __init__(self, event_type: str, schema_version: int, understood: int, event_id: UUID) -> None:
        super().__init__(
            f"{event_type} schema_version {schema_version} is newer than this code understands ({understood})"
        )
        self.event_type = event_type
        self.schema_version = schema_version
        self.understood = understood
        self.event_id = event_id


def register(cls: type[Event]) -> type[Event]:
    EVENT_TYPES[cls.__name__] = cls
    return cls


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def wrap(fn: Upcaster) -> Upcaster:
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return wrap


def encode(event: Event) -> bytes:
    return event.model_dump_json().encode()


def headers_for(event_type: str, schema_version: int) -> list[tuple[str, bytes]]:
    """Kafka headers naming the contract, so consumers can validate without parsing twice."""
    return [("event_type", event_type.encode()), ("schema_version", str(schema_version).encode())]


def decode(raw: bytes | None, headers: Sequence[tuple[str, bytes]] = ()) -> Event | None:
    """The event in `raw`; None for a type or version this code does not know (logged, skipped).

    For readers that may skip (tools, tests); the consumer uses `read_event` and parks newer versions.
    """
    try:
        return read_event(raw, headers)
    except NewerSchemaVersion as newer:
        log.warning(
            "newer schema version skipped",
            event_type=newer.event_type,
            schema_version=newer.schema_version,
            understood=newer.understood,
            event_id=str(newer.event_id),
        )
        return None


def read_event(raw: bytes | None, headers: Sequence[tuple[str, bytes]] = ()) -> Event | None:
    """The event in `raw`, upcast to the current version; None for an unknown type (logged).

    Raises NewerSchemaVersion for a version newer than this code, UndecodableEvent for poison.
    """
    fast = _decode_current(raw, headers)
    if fast is not None:
        return fast
    try:
        data = json.loads(raw or b"")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UndecodableEvent(f"not JSON: {error}") from error
    if not isinstance(data, dict) or "event_type" not in data:
        raise UndecodableEvent("no event_type in message")
    event_type = data["event_type"]
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        log.warning(
            "unknown event type skipped",
            event_type=str(event_type)[:100],
            event_id=str(data.get("event_id"))[:40],
        )
        return None
    try:
        version = int(data.get("schema_version") or 1)
    except (TypeError, ValueError) as error:
        raise UndecodableEvent("schema_version is no number") from error
    if version > cls.SCHEMA_VERSION:
        try:
            event_id = UUID(str(data.get("event_id")))
        except ValueError as error:
            raise UndecodableEvent(f"{event_type} v{version} without a valid event_id") from error
        raise NewerSchemaVersion(event_type, version, cls.SCHEMA_VERSION, event_id)
    while version < cls.SCHEMA_VERSION:
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise UndecodableEvent(f"no upcaster for {event_type} v{version}")
        data = step(data)
        version += 1
        data["schema_version"] = version
    try:
        return cls.model_validate(data)
    except ValueError as error:
        wrong = fields_wrong(error) if isinstance(error, ValidationError) else type(error).__name__
        raise UndecodableEvent(f"invalid {event_type}: {wrong}") from error


def _decode_current(raw: bytes | None, headers: Sequence[tuple[str, bytes]]) -> Event | None:
    """The common case in one parse: headers name a known type at its current version."""
    named = dict(headers)
    cls = EVENT_TYPES.get(named.get("event_type", b"").decode(errors="replace"))
    if cls is None or named.get("schema_version") != str(cls.SCHEMA_VERSION).encode() or not raw:
        return None
    try:
        event = cls.model_validate_json(raw)
    except ValueError:
        return None  # let the careful path say precisely what is wrong
    return event if event.event_type == cls.__name__ and event.schema_version == cls.SCHEMA_VERSION else None
