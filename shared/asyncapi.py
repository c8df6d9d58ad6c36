"""The AsyncAPI 3.0 document of every topic and every event, generated from the contracts.

Built from `shared/topics.py` (channels: address, partitions, who writes, who reads) and the pydantic
models of `shared/events/` (messages and their JSON schemas), not from FastStream subscribers: events
are published by the outbox relay as raw records, so no FastStream publisher knows them. Every service
serves it (`/asyncapi.json`, and `/asyncapi` as a page without scripts); `mentornet asyncapi` writes
`docs/asyncapi.json`, which a test keeps equal to this.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from shared.events import intake, matching, sessions
from shared.events.envelope import Event
from shared.topics import ALL_TOPICS, DEAD_LETTER, PARKED, Topic, topic_of

DOCS_FILE = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"
KAFKA_BINDING = "0.5.0"


def contracts() -> dict[str, list[type[Event]]]:
    """Each event topic's contracts, in the order their modules declare them."""
    found: dict[str, list[type[Event]]] = {}
    for module in (intake, matching, sessions):
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, Event) and cls.__module__ == module.__name__:
                found.setdefault(topic_of(cls.model_construct()).base_name, []).append(cls)
    return found


def _channel_id(topic: Topic) -> str:
    return topic.base_name.removeprefix("mentornet.")


def _event_headers() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "event_type": {"type": "string", "description": "the contract's name (the message name)"},
            "schema_version": {"type": "string", "description": "its schema version, as digits"},
            "x-producer": {"type": "string", "description": "the service whose outbox relay sent it"},
            "x-outbox-position": {"type": "string", "description": "its position in that outbox"},
        },
        "required": ["event_type", "schema_version"],
    }


def _side_headers(extra: dict[str, str]) -> dict[str, Any]:
    origin = {
        "x-original-topic": "the topic it was read from",
        "x-original-partition": "its partition there",
        "x-original-offset": "its offset there",
        "x-consumer-group": "the consumer group that set it aside",
    }
    named = {**extra, **origin}
    return {
        "type": "object",
        "description": "the original record's headers (event_type, schema_version, ...), then these",
        "properties": {name: {"type": "string", "description": text} for name, text in named.items()},
        "required": list(named),
    }


def _event_message(cls: type[Event], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = cls.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[cls.__name__] = schema
    key = cls.AGGREGATE_ID or "aggregate id"
    return {
        "name": cls.__name__,
        "title": cls.__name__,
        "summary": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.__name__,
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/EventHeaders"},
        "payload": {"$ref": f"#/components/schemas/{cls.__name__}"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"the {key}: one aggregate's events stay in order"},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "x-schema-version": cls.SCHEMA_VERSION,
    }


SIDE_MESSAGES = {
    DEAD_LETTER.base_name: (
        "DeadLetter",
        "An event a consumer kept failing to apply: the original bytes, key and headers, with the error",
        {"x-error": "the last error, repr, at most 2,000 characters"},
    ),
    PARKED.base_name: (
        "ParkedEvent",
        "An event of a newer schema version than its consumer: the original bytes, key and headers",
        {"x-parked-reason": "why it was parked", "x-event-id": "the event's id"},
    ),
}


def document() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document (deterministic: the same contracts give the same JSON)."""
    by_topic = contracts()
    schemas: dict[str, Any] = {"EventHeaders": _event_headers()}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in ALL_TOPICS:
        cid = _channel_id(topic)
        names: list[str] = []
        for cls in by_topic.get(topic.base_name, []):
            messages[cls.__name__] = _event_message(cls, schemas)
            names.append(cls.__name__)
        if topic.base_name in SIDE_MESSAGES:
            name, summary, extra = SIDE_MESSAGES[topic.base_name]
            schemas[f"{name}Headers"] = _side_headers(extra)
            messages[name] = {
                "name": name,
                "title": name,
                "summary": summary,
                "headers": {"$ref": f"#/components/schemas/{name}Headers"},
                "payload": {"description": "the original record's value, unchanged (an event's JSON)"},
                "bindings": {
                    "kafka": {"key": {"description": "the original key"}, "bindingVersion": KAFKA_BINDING}
                },
            }
            names.append(name)
        writer = "every consuming service" if topic.producer == "any" else topic.producer
        channels[cid] = {
            "address": topic.base_name,
            "title": topic.base_name,
            "description": f"Written by {writer}; read by {', '.join(topic.consumers) or 'operators'}. "
            f"{topic.partitions} partition(s); kept for ever. A deployment may prefix the name "
            "(MENTORNET_TOPIC_PREFIX).",
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
            "bindings": {"kafka": {"partitions": topic.partitions, "bindingVersion": KAFKA_BINDING}},
        }
        refs = [{"$ref": f"#/channels/{cid}/messages/{n}"} for n in names]
        sender = "outbox relay of " + topic.producer if topic.producer != "any" else "any consumer"
        operations[f"{cid}.send"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{cid}"},
            "summary": f"The {sender} writes {topic.base_name}",
            "messages": refs,
        }
        for consumer in topic.consumers:
            operations[f"{cid}.receive.{consumer}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{cid}"},
                "summary": f"{consumer} applies {topic.base_name} idempotently (consumer group "
                f"mentornet-{consumer})",
                "messages": refs,
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "mentornet events",
            "version": "1",
            "description": "Every topic and every event of mentornet, generated from shared/topics.py "
            "and the contracts in shared/events/. Events are JSON with the envelope event_id, event_type, "
            "schema_version, occurred_at, producer, correlation_id, causation_id; changes are additive, a "
            "breaking change is a new schema_version.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "embedded": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "the embedded stack's broker (python3 dev.py run)",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: Path = DOCS_FILE) -> Path:
    path.write_text(dumps(document()))
    return path


def _fields(schema: dict[str, Any]) -> str:
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("type") or prop.get("format") or ("ref" if "$ref" in prop or "anyOf" in prop else "")
        rows.append(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(str(kind))}</td>"
            f"<td>{'required' if name in required else ''}</td></tr>"
        )
    return "<table><tr><th>field</th><th>type</th><th></th></tr>" + "".join(rows) + "</table>"


def render_html(doc: dict[str, Any]) -> str:
    """The document as one page: channels, their messages and each message's fields. No scripts."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>mentornet events</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:0 1em 0 0;"
        "text-align:left}code{font-size:95%}</style></head><body>",
        f"<h1>{html.escape(doc['info']['title'])}</h1><p>{html.escape(doc['info']['description'])}</p>",
        "<p>The document itself: <a href='/asyncapi.json'>/asyncapi.json</a> (AsyncAPI 3.0).</p>",
    ]
    schemas = doc["components"]["schemas"]
    for channel in doc["channels"].values():
        parts.append(f"<h2><code>{html.escape(channel['address'])}</code></h2>")
        parts.append(f"<p>{html.escape(channel['description'])}</p>")
        for ref in channel["messages"].values():
            name = ref["$ref"].rsplit("/", 1)[1]
            message = doc["components"]["messages"][name]
            parts.append(f"<h3>{html.escape(name)}</h3><p>{html.escape(message['summary'])}</p>")
            payload = message["payload"].get("$ref", "").rsplit("/", 1)[-1]
            if payload in schemas:
                parts.append(_fields(schemas[payload]))
    parts.append("</body></html>")
    return "".join(parts)
