"""Every contract's JSON schema is pinned (tests/foundation/contracts/): a breaking change fails until its
schema_version is raised and an upcaster reads the stored events of the old version."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from pydantic import create_model

from shared.events.compatibility import breaking_changes
from shared.events.envelope import Event
from shared.events.registry import EVENT_TYPES, UPCASTERS, read_event
from tests.foundation import golden


def test_every_contract_matches_its_pinned_schema_and_reads_every_stored_event():
    assert golden.problems() == []


def test_every_contract_is_pinned_and_has_stored_events():
    pinned = golden.pinned(golden.FOLDER)
    stored = set(golden.examples(golden.FOLDER).values())
    for name, contract in EVENT_TYPES.items():
        assert (name, contract.SCHEMA_VERSION) in pinned
        assert (name, contract.SCHEMA_VERSION) in stored


def test_events_stored_before_sessions_carried_their_version_are_still_read():
    raw = (golden.FOLDER / "examples" / "SessionRetracted.v1.before-version.json").read_bytes()
    assert "version" not in json.loads(raw)
    event = read_event(raw)
    assert event is not None and event.version is None and event.retracted_by is None  # type: ignore[attr-defined]


# ---- what counts as breaking, shown on real models: one contract `Thanks` as edited


Profile = create_model("Profile", level=(int, ...))
FIELDS: dict[str, Any] = {
    "pair_id": (uuid.UUID, ...),
    "note": (str, ...),
    "mood": (Literal["glad", "grateful"], "glad"),
    "profile": (Profile | None, None),
}


def thanks(doc: str | None = None, drop: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    kept = {k: v for k, v in FIELDS.items() if k not in drop}
    return create_model("Thanks", __base__=Event, __doc__=doc, **{**kept, **fields}).model_json_schema()


def test_a_new_optional_field_a_field_no_longer_required_or_new_wording_is_compatible():
    assert breaking_changes(thanks(), thanks(doc="Other wording.", stars=(int, 0))) == []
    assert breaking_changes(thanks(), thanks(note=(str, ""))) == []


@pytest.mark.parametrize(
    ("edited", "expected"),
    [
        ({"drop": ("note",), "message": (str, ...)}, ["note removed", "message added as required"]),
        ({"stars": (int, ...)}, ["stars added as required"]),
        ({"note": (int, ...)}, ["note changed"]),
        (
            {"mood": (Literal["glad", "grateful", "relieved"], "glad")},
            ["mood changed"],
        ),  # old readers refuse it
        ({"mood": (Literal["glad"], "glad")}, ["mood changed"]),  # stored events say "grateful"
        (
            {"mood": (Literal["glad", "grateful"], "grateful")},
            ["mood changed"],
        ),  # old events read differently
        ({"profile": (create_model("Profile", level=(str, ...)) | None, None)}, ["Profile.level changed"]),
    ],
)
def test_breaking_changes_are_named(edited, expected):
    found = breaking_changes(thanks(), thanks(**edited))
    assert len(found) == len(expected) and all(any(p.startswith(e) for p in found) for e in expected), found


# ---- the whole rule on a contract of this test's own: pinned, broken, versioned, upcast


def thanked_v1() -> type[Event]:
    class MentorThanked(Event):
        AGGREGATE_ID: ClassVar[str] = "pair_id"
        pair_id: uuid.UUID
        note: str

    return MentorThanked


def thanked_v1_renamed() -> type[Event]:
    class MentorThanked(Event):
        AGGREGATE_ID: ClassVar[str] = "pair_id"
        pair_id: uuid.UUID
        message: str

    return MentorThanked


def thanked_v2() -> type[Event]:
    class MentorThanked(Event):
        SCHEMA_VERSION: ClassVar[int] = 2
        AGGREGATE_ID: ClassVar[str] = "pair_id"
        pair_id: uuid.UUID
        message: str

    return MentorThanked


@pytest.fixture
def pins(tmp_path) -> Path:
    (tmp_path / "examples").mkdir()
    yield tmp_path
    EVENT_TYPES.pop("MentorThanked", None)
    UPCASTERS.pop(("MentorThanked", 1), None)


def install(contract: type[Event]) -> dict[str, type[Event]]:
    EVENT_TYPES["MentorThanked"] = contract
    return {"MentorThanked": contract}


def test_a_breaking_change_fails_until_the_version_is_raised_and_an_upcaster_reads_old_events(pins):
    v1 = install(thanked_v1())
    assert golden.update(v1, pins) == (["MentorThanked.v1.schema.json"], [])
    stored = v1["MentorThanked"](pair_id=uuid.uuid4(), note="thank you")
    (pins / "examples" / "MentorThanked.v1.json").write_text(stored.model_dump_json())
    assert golden.problems(v1, UPCASTERS, pins) == []

    renamed = install(thanked_v1_renamed())  # `note` renamed at the same version
    (problem, *_) = golden.problems(renamed, UPCASTERS, pins)
    assert "changed incompatibly (note removed; message added as required" in problem
    written, refused = golden.update(renamed, pins)
    assert written == [] and "raise MentorThanked.SCHEMA_VERSION" in refused[0]

    v2 = install(thanked_v2())  # version raised, the new schema pinned beside the old one
    assert golden.update(v2, pins) == (["MentorThanked.v2.schema.json"], [])
    found = golden.problems(v2, UPCASTERS, pins)
    assert "MentorThanked: stored v1 events cannot be read: no upcaster from v1" in found
    assert "MentorThanked v2: no stored event in" in " ".join(found)

    UPCASTERS[("MentorThanked", 1)] = lambda data: {**data, "message": data.pop("note")}
    new = v2["MentorThanked"](pair_id=stored.pair_id, message="thanks again")  # type: ignore[call-arg]
    (pins / "examples" / "MentorThanked.v2.json").write_text(new.model_dump_json())
    assert golden.problems(v2, UPCASTERS, pins) == []
    upcast = read_event((pins / "examples" / "MentorThanked.v1.json").read_bytes())
    assert upcast is not None and upcast.message == "thank you" and upcast.schema_version == 2  # type: ignore[attr-defined]
