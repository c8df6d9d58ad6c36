"""The AsyncAPI document: every event type of every topic is in it with its schema, it is a valid
AsyncAPI 3.0 document, every service serves it (and a page of it without scripts), and the copy in
docs/ is the one the contracts give today."""

from __future__ import annotations

import json

import pytest
from faststream.specification.asyncapi.v3_0_0.schema import ApplicationSchema

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from shared import asyncapi
from shared.events import intake, matching, sessions
from shared.events.envelope import Event
from shared.topics import ALL_TOPICS, DEAD_LETTER, PARKED, topic_of
from tests.operations.support import mentornet
from tests.support.services import run_service

EVENT_TYPES = [
    cls
    for module in (intake, matching, sessions)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, Event) and cls.__module__ == module.__name__
]


def channel_of(doc: dict, address: str) -> dict:
    (found,) = [c for c in doc["channels"].values() if c["address"] == address]
    return found


@pytest.mark.parametrize("event_type", EVENT_TYPES, ids=lambda cls: cls.__name__)
def test_every_event_of_every_topic_is_there_with_its_schema(event_type):
    doc = asyncapi.document()
    name = event_type.__name__
    channel = channel_of(doc, topic_of(event_type.model_construct()).base_name)
    assert channel["messages"][name] == {"$ref": f"#/components/messages/{name}"}
    message = doc["components"]["messages"][name]
    assert message["payload"] == {"$ref": f"#/components/schemas/{name}"}
    schema = doc["components"]["schemas"][name]
    assert set(schema["properties"]) == set(event_type.model_fields)
    assert set(schema.get("required", ())) == {
        n for n, f in event_type.model_fields.items() if f.is_required()
    }
    assert message["x-schema-version"] == event_type.SCHEMA_VERSION


def test_every_topic_is_a_channel_with_its_readers_and_writer():
    doc = asyncapi.document()
    assert sorted(c["address"] for c in doc["channels"].values()) == sorted(t.base_name for t in ALL_TOPICS)
    for topic in ALL_TOPICS:
        channel = channel_of(doc, topic.base_name)
        assert channel["bindings"]["kafka"]["partitions"] == topic.partitions
        (cid,) = [k for k, c in doc["channels"].items() if c["address"] == topic.base_name]
        ops = [
            (k, op) for k, op in doc["operations"].items() if op["channel"] == {"$ref": f"#/channels/{cid}"}
        ]
        assert {k.rsplit(".", 1)[1] for k, op in ops if op["action"] == "receive"} == set(topic.consumers)
        assert [op["action"] for _, op in ops].count("send") == 1
    assert "DeadLetter" in channel_of(doc, DEAD_LETTER.base_name)["messages"]
    assert "ParkedEvent" in channel_of(doc, PARKED.base_name)["messages"]
    headers = doc["components"]["schemas"]["DeadLetterHeaders"]["required"]
    assert {"x-error", "x-original-topic", "x-consumer-group"} <= set(headers)


def test_it_is_an_asyncapi_3_document():
    doc = json.loads(asyncapi.dumps(asyncapi.document()))
    assert doc["asyncapi"] == "3.0.0"
    for server in doc["servers"].values():
        server.setdefault("pathname", "")  # optional in AsyncAPI 3.0; FastStream's model wants it
    parsed = ApplicationSchema.model_validate(doc)
    assert len(parsed.channels) == len(ALL_TOPICS)
    assert len(parsed.components.messages) == len(EVENT_TYPES) + 2


async def test_the_file_in_docs_is_up_to_date(make_settings):
    assert asyncapi.DOCS_FILE.read_text() == asyncapi.dumps(asyncapi.document()), (
        "docs/asyncapi.json is out of date: run `mentornet asyncapi`"
    )
    settings = await make_settings()
    assert "is up to date" in await mentornet(settings, "asyncapi", "--check")


@pytest.mark.parametrize("create, kind", [(intake_app, IntakeSettings), (reporting_app, ReportingSettings)])
async def test_every_service_serves_it_and_a_page_without_scripts(make_settings, create, kind):
    async with run_service(create(await make_settings(kind))) as client:
        served = await client.get("/asyncapi.json")
        page = await client.get("/asyncapi")
    assert served.status_code == 200 and served.json() == json.loads(asyncapi.dumps(asyncapi.document()))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text and "http" not in page.text.replace("/asyncapi.json", "")
    for cls in EVENT_TYPES:
        assert f"<h3>{cls.__name__}</h3>" in page.text
