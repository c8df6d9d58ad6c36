"""Corrections and retractions keep the history; private notes are shown to the pair's members only."""

from __future__ import annotations

from shared.events import decode
from tests.sessions.support import STAFF, bearer, days_ago, matched_pair, session_body


async def _events_of(running, session_id: str) -> list:
    async with running.app.state.runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT payload FROM outbox WHERE key = $1 ORDER BY position", session_id)
    return [decode(bytes(row["payload"])) for row in rows]


async def test_corrections_and_a_retraction_are_versions_and_events_and_history_stays(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    mentor, mentee = bearer(tokens["mentor"]), bearer(tokens["mentee"])
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    logged = (await client.post(path, headers=mentor, json=session_body(notes="mentor's notes"))).json()
    session = f"{path}/{logged['session_id']}"

    # The mentee corrects the duration; rating and notes left out are kept.
    body = session_body(duration_minutes=120)
    del body["rating"]
    corrected = await client.put(session, headers=mentee, json={**body, "base_version": 1})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json() == {
        **logged,
        "version": 2,
        "duration_minutes": 120,
        "rating": 4,
        "notes": "mentor's notes",
    }
    # Staff correct the format and rating: notes untouched, and staff never see them.
    by_staff = await client.put(
        session, headers=STAFF, json=session_body(duration_minutes=120, format="online", rating=2)
    )
    assert by_staff.status_code == 200 and by_staff.json()["version"] == 3
    assert "notes" not in by_staff.json()
    # The same correction again records nothing new.
    same = await client.put(
        session, headers=STAFF, json=session_body(duration_minutes=120, format="online", rating=2)
    )
    assert same.json()["version"] == 3
    # A correction made from a stale read is refused.
    stale = await client.put(session, headers=mentee, json={**session_body(), "base_version": 2})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    # The mentee replaces the notes; the mentor reads them.
    renoted = await client.put(
        session,
        headers=mentee,
        json=session_body(duration_minutes=120, format="online", rating=2, notes="mentee's notes"),
    )
    assert renoted.json()["version"] == 4 and renoted.json()["notes"] == "mentee's notes"

    retracted = await client.post(
        f"{session}/retraction", headers=mentor, json={"reason": "did_not_take_place"}
    )
    assert retracted.status_code == 200
    assert retracted.json()["retracted"] is True and retracted.json()["version"] == 5
    again = await client.post(f"{session}/retraction", headers=mentee, json={"reason": "duplicate"})
    assert again.json()["version"] == 5  # retracting twice is one retraction
    refused = await client.put(session, headers=mentor, json=session_body())
    assert refused.status_code == 409 and refused.json()["code"] == "retracted"
    free_text = await client.post(
        f"{session}/retraction", headers=mentor, json={"reason": "we talked about her divorce"}
    )
    assert free_text.status_code == 422  # reasons are codes: free text could carry what was said

    assert (await client.get(path, headers=mentor)).json() == []
    listed = (await client.get(path, headers=mentor, params={"include_retracted": True})).json()
    assert [s["session_id"] for s in listed] == [logged["session_id"]]

    history = (await client.get(session, headers=mentee)).json()
    assert [(v["version"], v["kind"], v["recorded_by"]) for v in history["versions"]] == [
        (1, "held", "mentor"),
        (2, "corrected", "mentee"),
        (3, "corrected", "staff"),
        (4, "corrected", "mentee"),
        (5, "retracted", "mentor"),
    ]
    assert [v["duration_minutes"] for v in history["versions"]] == [90, 120, 120, 120, 120]
    assert [v["notes"] for v in history["versions"]] == ["mentor's notes", None, None, "mentee's notes", None]
    assert history["versions"][4]["retraction_reason"] == "did_not_take_place"
    assert history["session"]["notes"] == "mentee's notes"

    metrics = (await client.get("/metrics")).text
    for sample in ('by="mentor",kind="held"', 'by="staff",kind="corrected"', 'by="mentor",kind="retracted"'):
        assert f"mentornet_sessions_recorded_total{{{sample}}}" in metrics
    assert 'mentornet_sessions_refused_total{code="stale_version",status="409"}' in metrics

    events = await _events_of(running, logged["session_id"])
    assert [(e.event_type, e.version) for e in events] == [
        ("SessionHeld", 1),
        ("SessionCorrected", 2),
        ("SessionCorrected", 3),
        ("SessionCorrected", 4),
        ("SessionRetracted", 5),
    ]
    held, *corrections, retraction = events
    assert all(c.logged_by == "mentor" for c in corrections)
    assert [c.corrected_by for c in corrections] == ["mentee", "staff", "mentee"]
    assert corrections[1].format == "online" and corrections[1].rating == 2
    assert retraction.reason == "did_not_take_place" and retraction.retracted_by == "mentor"
    assert all(e.correlation_id == held.event_id for e in events[1:])
    assert [e.causation_id for e in events[1:]] == [e.event_id for e in events[:-1]]


async def test_staff_see_metadata_only_members_see_notes(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    logged = (
        await client.post(path, headers=bearer(tokens["mentee"]), json=session_body(notes="between us"))
    ).json()
    assert logged["notes"] == "between us"
    without = (
        await client.post(path, headers=bearer(tokens["mentor"]), json=session_body(days_ago(2)))
    ).json()
    assert without["notes"] is None

    for member in ("mentor", "mentee"):
        listed = (await client.get(path, headers=bearer(tokens[member]))).json()
        assert [s["notes"] for s in listed] == ["between us", None]
        detail = (await client.get(f"{path}/{logged['session_id']}", headers=bearer(tokens[member]))).json()
        assert detail["session"]["notes"] == "between us" and detail["versions"][0]["notes"] == "between us"

    staff_list = await client.get(path, headers=STAFF)
    staff_detail = await client.get(f"{path}/{logged['session_id']}", headers=STAFF)
    for answer in (staff_list, staff_detail):
        assert answer.status_code == 200
        assert "notes" not in answer.text and "between us" not in answer.text
    assert [s["duration_minutes"] for s in staff_list.json()] == [90, 90]


async def test_a_correction_onto_another_sessions_start_is_a_conflict(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    mentor = bearer(tokens["mentor"])
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    first = (await client.post(path, headers=mentor, json=session_body(start_time="10:00"))).json()
    second = (await client.post(path, headers=mentor, json=session_body(start_time="14:00"))).json()
    clash = await client.put(
        f"{path}/{second['session_id']}", headers=mentor, json=session_body(start_time="10:00")
    )
    assert clash.status_code == 409 and clash.json()["code"] == "start_taken"
    moved = await client.put(
        f"{path}/{second['session_id']}", headers=mentor, json=session_body(start_time="15:00")
    )
    assert moved.status_code == 200 and moved.json()["start_time"] == "15:00"
    # Logging at a start a corrected session now holds points at that session.
    taken = await client.post(path, headers=mentor, json=session_body(start_time="15:00", rating=1))
    assert taken.status_code == 409 and taken.json()["session_id"] == second["session_id"]
    # A late repeat of the very first request for the moved session still answers as it did then.
    repeat = await client.post(path, headers=mentor, json=session_body(start_time="14:00"))
    assert repeat.status_code == 201 and repeat.json() == second
    assert first["session_id"] != second["session_id"]


async def test_a_retracted_session_frees_its_start_for_a_new_one(running):
    client = running.client
    pair, tokens = await matched_pair(running.settings, client)
    mentee = bearer(tokens["mentee"])
    path = f"/v1/pairs/{pair.pair_id}/sessions"
    wrong = (await client.post(path, headers=mentee, json=session_body(format="phone"))).json()
    await client.post(
        f"{path}/{wrong['session_id']}/retraction", headers=mentee, json={"reason": "logged_by_mistake"}
    )
    right = await client.post(path, headers=mentee, json=session_body(format="online"))
    assert right.status_code == 201 and right.json()["session_id"] != wrong["session_id"]
    again = await client.post(path, headers=mentee, json=session_body(format="online"))
    assert again.json() == right.json() and again.headers["Idempotent-Replayed"] == "true"
    listed = (await client.get(path, headers=STAFF, params={"include_retracted": True})).json()
    assert [(s["format"], s["retracted"]) for s in listed] == [("phone", True), ("online", False)]
