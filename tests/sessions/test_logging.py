"""Logging a session: each rule refuses bad input with a 422 naming the field, and changes nothing."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from tests.sessions.support import (
    STAFF,
    bearer,
    days_ago,
    matched_pair,
    pair_ended,
    publish,
    session_body,
    today,
)
from tests.support.services import eventually


async def _outbox_size(running) -> int:
    async with running.app.state.runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM outbox"))


async def _stored_sessions(running, pair_id) -> int:
    async with running.app.state.runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM sessions WHERE pair_id = $1", pair_id))


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"held_on": (today() + timedelta(days=1)).isoformat()}, "held_on", "in_future"),
        ({"held_on": days_ago(61).isoformat()}, "held_on", "before_pair_matched"),
        ({"duration_minutes": 9}, "duration_minutes", "greater_than_equal"),
        ({"duration_minutes": 601}, "duration_minutes", "less_than_equal"),
        ({"duration_minutes": "long"}, "duration_minutes", "int_parsing"),
        ({"tools": ["coaching", "therapy"]}, "tools", "literal_error"),
        ({"format": "carrier_pigeon"}, "format", "literal_error"),
        ({"rating": 0}, "rating", "greater_than_equal"),
        ({"rating": 6}, "rating", "less_than_equal"),
        ({"start_time": "25:00"}, "start_time", "time_parsing"),
        ({"held_on": "yesterday"}, "held_on", "date_from_datetime_parsing"),
        ({"notes": "x" * 4001}, "notes", "string_too_long"),
        ({"notes": "a\x00b"}, "notes", "nul_character"),
        ({"notes": "a\ud800b"}, "notes", "string_unicode"),
        ({"note": "a typo'd field"}, "note", "extra_forbidden"),
    ],
)
async def test_each_rule_refuses_with_422_naming_the_field_and_changes_nothing(running, change, field, code):
    pair, tokens = await matched_pair(running.settings, running.client)
    outbox_before = await _outbox_size(running)
    answer = await running.client.post(
        f"/v1/pairs/{pair.pair_id}/sessions",
        headers={**bearer(tokens["mentor"]), "content-type": "application/json"},
        content=json.dumps(session_body(**change)),  # ASCII-escaped, so a lone surrogate can travel
    )
    assert answer.status_code == 422, answer.text
    problems = answer.json()["detail"]
    assert any(p["loc"][-1] == field or field in p["loc"] for p in problems), problems
    assert code in {p["type"] for p in problems}, problems
    assert all(set(p) == {"loc", "msg", "type"} for p in problems)  # no `input`: values never echoed
    assert await _stored_sessions(running, pair.pair_id) == 0
    assert await _outbox_size(running) == outbox_before


async def test_a_missing_field_is_named(running):
    pair, tokens = await matched_pair(running.settings, running.client)
    body = session_body()
    del body["format"], body["duration_minutes"]
    answer = await running.client.post(
        f"/v1/pairs/{pair.pair_id}/sessions", headers=bearer(tokens["mentee"]), json=body
    )
    assert answer.status_code == 422
    assert {tuple(p["loc"]) for p in answer.json()["detail"]} == {
        ("body", "format"),
        ("body", "duration_minutes"),
    }


async def test_staff_may_log_but_not_write_notes(running):
    pair, _ = await matched_pair(running.settings, running.client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    refused = await running.client.post(path, headers=STAFF, json=session_body(notes="staff thoughts"))
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "notes"]
    logged = await running.client.post(path, headers=STAFF, json=session_body())
    assert logged.status_code == 201
    assert logged.json()["logged_by"] == "staff" and "notes" not in logged.json()


async def test_a_session_after_the_pair_ended_is_refused_one_on_its_last_day_is_not(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    await publish(running.settings, [pair_ended(pair, ended_on=days_ago(10))])

    async def ended() -> str | None:
        return (await client.get(f"/v1/pairs/{pair.pair_id}", headers=STAFF)).json()["ended_on"]

    await eventually(ended, equals=days_ago(10).isoformat())
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    after = await client.post(path, headers=bearer(tokens["mentee"]), json=session_body(days_ago(5)))
    assert after.status_code == 422
    assert after.json()["detail"][0]["type"] == "after_pair_ended"
    assert after.json()["detail"][0]["loc"] == ["body", "held_on"]
    on_last_day = await client.post(path, headers=bearer(tokens["mentee"]), json=session_body(days_ago(10)))
    assert on_last_day.status_code == 201
    # The members can still read what they logged after the end.
    assert len((await client.get(path, headers=bearer(tokens["mentor"]))).json()) == 1


async def test_unknown_tools_are_refused_and_known_ones_are_kept_once_in_toolbox_order(running):
    pair, tokens = await matched_pair(running.settings, running.client)
    body = session_body(tools=["sharing_experience", "coaching", "coaching", "supervision"])
    answer = await running.client.post(
        f"/v1/pairs/{pair.pair_id}/sessions", headers=bearer(tokens["mentor"]), json=body
    )
    assert answer.status_code == 201
    assert answer.json()["tools"] == ["coaching", "supervision", "sharing_experience"]


async def test_the_same_session_logged_twice_is_recorded_once_and_answered_as_the_first_time(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    body = session_body(notes="first meeting: expectations")
    outbox_before = await _outbox_size(running)

    first = await client.post(path, headers=bearer(tokens["mentee"]), json=body)
    second = await client.post(path, headers=bearer(tokens["mentee"]), json=body)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Location"] == second.headers["Location"]

    # Concurrent repeats too: one session, every caller told the same.
    concurrent = await asyncio.gather(
        *[client.post(path, headers=bearer(tokens["mentee"]), json=body) for _ in range(5)]
    )
    assert {a.status_code for a in concurrent} == {201}
    assert {a.json()["session_id"] for a in concurrent} == {first.json()["session_id"]}
    assert await _stored_sessions(running, pair.pair_id) == 1
    assert await _outbox_size(running) == outbox_before + 1


async def test_concurrent_first_logs_of_one_start_make_one_session(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    for hour in range(8, 14):  # several rounds: the race has more than one interleaving
        body = session_body(start_time=f"{hour:02}:00")
        answers = await asyncio.gather(
            *[client.post(path, headers=bearer(tokens["mentor"]), json=body) for _ in range(8)]
        )
        assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
        assert len({a.json()["session_id"] for a in answers}) == 1
    assert await _stored_sessions(running, pair.pair_id) == 6


async def test_the_same_start_with_another_account_is_a_conflict_pointing_at_the_session(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    first = await client.post(path, headers=bearer(tokens["mentor"]), json=session_body())
    other = await client.post(path, headers=bearer(tokens["mentee"]), json=session_body(duration_minutes=60))
    assert other.status_code == 409
    assert other.json()["code"] == "session_exists"
    assert other.json()["session_id"] == first.json()["session_id"]
    assert other.json()["retryable"] is False and "Retry-After" not in other.headers
    assert await _stored_sessions(running, pair.pair_id) == 1


async def test_a_start_given_with_a_utc_offset_is_the_same_moment(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    held_on = days_ago(40)  # any day: compare against the programme zone's offset on that day
    local = await client.post(path, headers=bearer(tokens["mentor"]), json=session_body(held_on, "10:00"))
    offset = local.json()["started_at"][-6:]
    again = await client.post(
        path, headers=bearer(tokens["mentor"]), json=session_body(held_on, f"10:00:00{offset}")
    )
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
