"""The event contract: envelope, wire format, unknown and newer events skipped, older ones upcast."""

from __future__ import annotations

import json
import uuid
from typing import ClassVar

import pytest
from structlog.testing import capture_logs

from shared.events import PairMatched, SessionHeld, UndecodableEvent, decode, encode
from shared.events.envelope import Event
from shared.events.registry import (
    EVENT_TYPES,
    UPCASTERS,
    NewerSchemaVersion,
    headers_for,
    read_event,
    register,
    upcaster,
)
from shared.topics import MATCHING, SESSIONS, topic_of


class MentorThanked(Event):
    """A test-only contract at version 2: v1 called the field `note`, v2 calls it `message`."""

    SCHEMA_VERSION: ClassVar[int] = 2
    AGGREGATE_ID: ClassVar[str] = "pair_id"
    pair_id: uuid.UUID
    message: str


@pytest.fixture
def thanked_contract():
    register(MentorThanked)

    @upcaster("MentorThanked", 1)
    def rename_note(data: dict) -> dict:
        return {**{k: v for k, v in data.items() if k != "note"}, "message": data["note"]}

    yield MentorThanked
    del EVENT_TYPES["MentorThanked"]
    del UPCASTERS[("MentorThanked", 1)]


def pair_matched() -> PairMatched:
    ids = [uuid.uuid4() for _ in range(6)]
    return PairMatched(
        pair_id=ids[0], cohort_id=ids[1], mentee_id=ids[2], mentor_id=ids[3],
        mentee_company_id=ids[4], mentor_company_id=ids[5], score=0.82, producer="matching",
    )  # fmt: skip


def test_every_event_carries_the_envelope_on_the_wire():
    wire = json.loads(encode(pair_matched()))
    for field in (
        "event_id",
        "event_type",
        "schema_version",
        "occurred_at",
        "producer",
        "correlation_id",
        "causation_id",
    ):
        assert field in wire
    assert wire["event_type"] == "PairMatched"
    assert wire["schema_version"] == 1
    assert wire["occurred_at"].endswith("Z")  # UTC, ISO 8601


def test_the_key_is_the_aggregate_id_and_each_service_has_its_topic():
    event = pair_matched()
    assert event.key == str(event.pair_id)
    assert topic_of(event) is MATCHING
    held = SessionHeld(
        session_id=uuid.uuid4(), pair_id=event.pair_id, cohort_id=event.cohort_id, held_on="2027-02-01",
        started_at="2027-02-01T09:00:00Z", duration_minutes=90, format="online", logged_by="mentee",
    )  # fmt: skip
    assert held.key == str(held.session_id)
    assert topic_of(held) is SESSIONS


def test_a_follow_up_event_keeps_the_correlation_and_names_its_cause():
    cause = pair_matched()
    follow = cause.follow_up()
    assert follow == {"correlation_id": cause.event_id, "causation_id": cause.event_id}


def test_decoding_round_trips_with_and_without_contract_headers():
    event = pair_matched()
    assert decode(encode(event)) == event
    assert decode(encode(event), headers_for("PairMatched", 1)) == event


def test_an_unknown_event_type_is_skipped_with_a_warning():
    with capture_logs() as logs:
        assert decode(json.dumps({"event_type": "CertificateIssued", "event_id": "x"}).encode()) is None
    assert logs[0]["log_level"] == "warning" and logs[0]["event_type"] == "CertificateIssued"


def test_a_newer_schema_version_is_skipped_with_a_warning():
    wire = json.loads(encode(pair_matched()))
    wire["schema_version"] = 2
    with capture_logs() as logs:
        assert decode(json.dumps(wire).encode()) is None
    assert logs[0]["log_level"] == "warning" and logs[0]["schema_version"] == 2


def test_an_older_schema_version_is_upcast(thanked_contract):
    pair_id = uuid.uuid4()
    v1 = {"event_type": "MentorThanked", "schema_version": 1, "event_id": str(uuid.uuid4()),
          "occurred_at": "2027-03-01T10:00:00Z", "pair_id": str(pair_id), "note": "thank you"}  # fmt: skip
    event = decode(json.dumps(v1).encode())
    assert isinstance(event, thanked_contract)
    assert event.message == "thank you" and event.schema_version == 2


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"no": "type"}', b""])
def test_bytes_that_are_no_event_are_poison(raw):
    with pytest.raises(UndecodableEvent):
        decode(raw)


def test_an_invalid_payload_of_a_known_type_is_poison():
    wire = json.loads(encode(pair_matched()))
    del wire["mentee_id"]
    with pytest.raises(UndecodableEvent, match="mentee_id"):
        decode(json.dumps(wire).encode(), headers_for("PairMatched", 1))


def test_the_consumer_reader_raises_for_a_newer_schema_version_so_the_event_can_be_parked():
    event = pair_matched()
    wire = {**json.loads(encode(event)), "schema_version": 2}
    with pytest.raises(NewerSchemaVersion) as newer:
        read_event(json.dumps(wire).encode(), headers_for("PairMatched", 2))
    assert (newer.value.event_type, newer.value.schema_version, newer.value.understood) == (
        "PairMatched",
        2,
        1,
    )
    assert newer.value.event_id == event.event_id


def test_a_newer_version_without_an_event_id_is_poison_not_parked():
    wire = {"event_type": "PairMatched", "schema_version": 2, "event_id": "not-a-uuid"}
    with pytest.raises(UndecodableEvent, match="event_id"):
        read_event(json.dumps(wire).encode())
