"""Registering, changing and withdrawing participants over HTTP, against the real database."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta

import pytest

from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee, mentor


async def register(intake, company, body, **headers):
    return await intake.client.post("/v1/participants", json=body, headers={**company.auth, **headers})


async def test_a_registration_is_stored_and_published_without_private_details(intake):
    company, cohort = await intake.company(), await intake.cohort()
    text = {"version": "2027-1", "text_da": "Jeg giver samtykke.", "text_en": "I consent."}
    published = await intake.client.post("/v1/consent-texts", json=text, headers=ADMIN)
    assert published.status_code == 201, published.text
    body = mentor(cohort, external_ref="HR-42", consent_text_version="2027-1")
    answer = await register(intake, company, body)
    assert answer.status_code == 201, answer.text
    participant = answer.json()
    assert participant["company_id"] == company.company_id and participant["status"] == "active"
    assert participant["email"] == body["email"] and participant["capacity"] == 2
    assert participant["consented_at"] == participant["registered_at"]

    [event] = [
        e
        for e in await intake.events("ParticipantRegistered")
        if str(e.participant_id) == participant["participant_id"]
    ]
    assert (str(event.company_id), str(event.cohort_id), event.role) == (company.company_id, cohort, "mentor")
    assert event.display_name == body["name"] and event.profile.capacity == 2
    assert event.profile.themes == ("change_management", "leading_leaders")
    payload = event.model_dump_json()
    for private in (
        body["email"],
        body["job_title"],
        body["expectations"],
        body["themes_free_text"],
        "HR-42",
        "2027-1",
    ):
        assert private not in payload
    [stored] = [  # as stored and published, the name too is sealed under the participant's key
        e
        for e in await intake.events("ParticipantRegistered", opened=False)
        if str(e.participant_id) == participant["participant_id"]
    ]
    assert stored.display_name.startswith(f"enc:v1:{participant['participant_id']}:")
    assert body["name"] not in stored.model_dump_json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", "coach"),
        ("email", "no-at-sign"),
        ("leadership_level", 7),
        ("years_experience", -2),
        ("industry", "astrology"),
        ("languages", ["klingon"]),
        ("region", "Mars"),
        ("meeting_preference", "telepathy"),
        ("themes", ["astrology"]),
        ("capacity", 2),
        ("consent", False),
        ("name", ""),
        ("expectations", ""),
    ],
)
async def test_a_bad_field_is_a_422_naming_it_and_changes_nothing(intake, field, value):
    company, cohort = await intake.company(), await intake.cohort()
    before = await intake.state()
    answer = await register(intake, company, {**mentee(cohort), field: value})
    assert answer.status_code == 422
    assert [e["loc"][:2] for e in answer.json()["detail"]] == [["body", field]]
    assert answer.json()["detail"][0]["msg"]
    assert await intake.state() == before


async def test_every_bad_field_of_a_request_is_named_at_once(intake):
    company, cohort = await intake.company(), await intake.cohort()
    answer = await register(intake, company, mentor(cohort, capacity=None, leadership_level=0, email="x"))
    fields = {e["loc"][1] for e in answer.json()["detail"]}
    assert answer.status_code == 422 and fields == {"capacity", "leadership_level", "email"}


async def test_a_body_that_is_not_json_is_a_422(intake):
    company = await intake.company()
    answer = await intake.client.post(
        "/v1/participants", content=b"{nope", headers={**company.auth, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["type"] == "json_invalid"


async def test_an_unknown_cohort_is_a_422_naming_cohort_id(intake):
    company = await intake.company()
    before = await intake.state()
    answer = await register(intake, company, mentee(uuid.uuid4()))
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"loc": ["body", "cohort_id"], "msg": answer.json()["detail"][0]["msg"], "type": "unknown_cohort"}
    ]
    assert await intake.state() == before


async def test_outside_the_intake_window_registration_is_a_409(intake):
    company = await intake.company()
    closed, future = await intake.cohort(-30, -1), await intake.cohort(5, 30)
    before = await intake.state()
    for cohort, code in ((closed, "intake_closed"), (future, "intake_not_open")):
        answer = await register(intake, company, mentee(cohort))
        assert answer.status_code == 409 and answer.json()["code"] == code
    assert await intake.state() == before


async def test_a_cohort_closed_early_by_staff_refuses_registrations(intake):
    company, cohort = await intake.company(), await intake.cohort()
    assert (await register(intake, company, mentee(cohort))).status_code == 201
    yesterday = (intake.today() - timedelta(days=1)).isoformat()
    closed = await intake.client.patch(
        f"/v1/cohorts/{cohort}", json={"intake_closes_on": yesterday}, headers=ADMIN
    )
    assert closed.status_code == 200 and closed.json()["intake_state"] == "closed"
    [update] = [e for e in await intake.events("CohortUpdated") if str(e.cohort_id) == cohort]
    assert update.intake_closes_on.isoformat() == yesterday

    before = await intake.state()
    answer = await register(intake, company, mentee(cohort))
    assert answer.status_code == 409 and answer.json()["code"] == "intake_closed"
    imported = await intake.client.post(f"/v1/cohorts/{cohort}/imports", json=[], headers=company.auth)
    assert imported.status_code == 409
    assert await intake.state() == before


async def test_the_same_email_twice_in_a_cohort_is_a_409_until_the_first_withdraws(intake):
    company, other = await intake.company(), await intake.company()
    cohort, next_cohort = await intake.cohort(), await intake.cohort()
    first = await register(intake, company, mentee(cohort, email="dup@example.com"))
    before = await intake.state()
    for who in (company, other):
        again = await register(intake, who, mentee(cohort, email="DUP@example.com"))
        assert again.status_code == 409 and again.json()["code"] == "duplicate_email"
    assert await intake.state() == before
    assert (await register(intake, company, mentee(next_cohort, email="dup@example.com"))).status_code == 201

    pid = first.json()["participant_id"]
    await intake.client.post(
        f"/v1/participants/{pid}/withdrawal", json={"reason": "other"}, headers=company.auth
    )
    assert (await register(intake, company, mentee(cohort, email="dup@example.com"))).status_code == 201


async def test_companies_to_avoid_must_be_other_partner_companies(intake):
    company, competitor, cohort = await intake.company(), await intake.company(), await intake.cohort()
    fine = await register(intake, company, mentee(cohort, avoid_company_ids=[competitor.company_id]))
    assert fine.status_code == 201 and fine.json()["avoid_company_ids"] == [competitor.company_id]
    for avoid, kind in ((str(uuid.uuid4()), "unknown_company"), (company.company_id, "own_company")):
        answer = await register(intake, company, mentee(cohort, avoid_company_ids=[avoid]))
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "avoid_company_ids", 0]
        assert answer.json()["detail"][0]["type"] == kind


async def test_a_body_over_the_limit_is_a_413_with_or_without_content_length(intake):
    company, cohort = await intake.company(), await intake.cohort()
    big = json.dumps(mentee(cohort, themes_free_text="x" * (intake.settings.max_body_bytes + 1))).encode()
    before = await intake.state()
    sized = await intake.client.post(
        "/v1/participants", content=big, headers={**company.auth, "Content-Type": "application/json"}
    )
    assert sized.status_code == 413 and sized.json()["code"] == "body_too_large"

    async def chunks():
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = await intake.client.post(
        "/v1/participants", content=chunks(), headers={**company.auth, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert await intake.state() == before


async def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer_and_no_second_participant(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body, key = mentee(cohort), {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = await register(intake, company, body, **key)
    participants, events, _ = await intake.state()
    again = await register(intake, company, body, **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert (await intake.state())[:2] == (participants, events)

    yesterday = (intake.today() - timedelta(days=1)).isoformat()
    await intake.client.patch(f"/v1/cohorts/{cohort}", json={"intake_closes_on": yesterday}, headers=ADMIN)
    after_close = await register(intake, company, body, **key)
    assert after_close.status_code == 201 and after_close.json() == first.json()


async def test_concurrent_retries_make_one_participant_and_one_event(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body, key = mentee(cohort, external_ref=f"R-{uuid.uuid4()}"), {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    answers = await asyncio.gather(*(register(intake, company, body, **key) for _ in range(5)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["participant_id"] for a in answers}) == 1
    pid = answers[0].json()["participant_id"]
    assert (
        await intake.count(
            "SELECT count(*) FROM participants WHERE company_id = $1", uuid.UUID(company.company_id)
        )
        == 1
    )
    assert len([e for e in await intake.events("ParticipantRegistered") if str(e.participant_id) == pid]) == 1


async def test_an_idempotency_key_reused_for_another_request_is_a_422(intake):
    company, cohort = await intake.company(), await intake.cohort()
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    await register(intake, company, mentee(cohort), **key)
    before = await intake.state()
    other = await register(intake, company, mentee(cohort), **key)
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["header", "idempotency-key"]
    assert await intake.state() == before


async def test_the_same_external_ref_replays_with_the_same_details_and_conflicts_with_others(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body = mentee(cohort, external_ref=f"HR-{uuid.uuid4()}")
    first = await register(intake, company, body)
    before = await intake.state()
    again = await register(intake, company, body)
    assert again.status_code == 201 and again.json() == first.json()
    changed = await register(intake, company, {**body, "job_title": "CEO"})
    assert changed.status_code == 409 and changed.json()["code"] == "external_ref_conflict"
    assert first.json()["participant_id"] in changed.json()["detail"]
    assert await intake.state() == before


async def test_a_profile_update_publishes_the_new_profile_and_private_changes_publish_nothing(intake):
    company, cohort = await intake.company(), await intake.cohort()
    pid = (await register(intake, company, mentor(cohort))).json()["participant_id"]
    url = f"/v1/participants/{pid}"

    changed = await intake.client.patch(
        url, json={"capacity": 3, "themes": ["strategy"]}, headers=company.auth
    )
    assert changed.status_code == 200 and changed.json()["capacity"] == 3
    updates = [e for e in await intake.events("ParticipantProfileUpdated") if str(e.participant_id) == pid]
    assert [(u.profile.capacity, u.profile.themes) for u in updates] == [(3, ("strategy",))]

    private = await intake.client.patch(
        url, json={"job_title": "COO", "email": "new@example.com"}, headers=company.auth
    )
    assert private.status_code == 200 and private.json()["job_title"] == "COO"
    assert (
        len([e for e in await intake.events("ParticipantProfileUpdated") if str(e.participant_id) == pid])
        == 1
    )
    assert (await intake.client.get(url, headers=company.auth)).json()["email"] == "new@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": 9}, "capacity"),
        ({"capacity": None}, "capacity"),
        ({"role": "mentee"}, "role"),
        ({"name": None}, "name"),
    ],
)
async def test_a_bad_profile_update_is_a_422_naming_the_field(intake, change, field):
    company, cohort = await intake.company(), await intake.cohort()
    pid = (await register(intake, company, mentor(cohort))).json()["participant_id"]
    before = await intake.state()
    answer = await intake.client.patch(f"/v1/participants/{pid}", json=change, headers=company.auth)
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][:2] == ["body", field]
    assert await intake.state() == before


async def test_changing_to_an_email_taken_in_the_cohort_is_a_409(intake):
    company, cohort = await intake.company(), await intake.cohort()
    await register(intake, company, mentee(cohort, email="taken@example.com"))
    pid = (await register(intake, company, mentee(cohort))).json()["participant_id"]
    answer = await intake.client.patch(
        f"/v1/participants/{pid}", json={"email": "Taken@example.com"}, headers=company.auth
    )
    assert answer.status_code == 409 and answer.json()["code"] == "duplicate_email"


async def test_withdrawal_is_published_once_and_then_the_participant_is_frozen(intake):
    company, cohort = await intake.company(), await intake.cohort()
    pid = (await register(intake, company, mentee(cohort))).json()["participant_id"]
    url = f"/v1/participants/{pid}/withdrawal"
    bad = await intake.client.post(url, json={"reason": "bored"}, headers=company.auth)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "reason"]

    withdrawn = await intake.client.post(
        url, json={"reason": "left_company", "note": "Moved to Aarhus"}, headers=company.auth
    )
    assert withdrawn.status_code == 200
    assert (
        withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["withdrawal_reason"] == "left_company"
    )
    again = await intake.client.post(url, json={"reason": "other"}, headers=company.auth)
    assert again.status_code == 200 and again.json() == withdrawn.json()
    [event] = [e for e in await intake.events("ParticipantWithdrawn") if str(e.participant_id) == pid]
    assert event.reason == "left_company" and "Aarhus" not in event.model_dump_json()

    frozen = await intake.client.patch(
        f"/v1/participants/{pid}", json={"job_title": "x"}, headers=company.auth
    )
    assert frozen.status_code == 409 and frozen.json()["code"] == "participant_withdrawn"


async def test_a_company_pages_through_its_participants_with_filters(intake):
    company, cohort = await intake.company(), await intake.cohort()
    ids = [
        (await register(intake, company, body)).json()["participant_id"]
        for body in (mentee(cohort), mentor(cohort), mentee(cohort))
    ]
    first = (await intake.client.get("/v1/participants", params={"limit": 2}, headers=company.auth)).json()
    assert [p["participant_id"] for p in first["items"]] == ids[:2] and first["next_cursor"]
    rest = (
        await intake.client.get(
            "/v1/participants", params={"limit": 2, "cursor": first["next_cursor"]}, headers=company.auth
        )
    ).json()
    assert [p["participant_id"] for p in rest["items"]] == ids[2:] and rest["next_cursor"] is None
    mentors = (
        await intake.client.get("/v1/participants", params={"role": "mentor"}, headers=company.auth)
    ).json()
    assert [p["participant_id"] for p in mentors["items"]] == [ids[1]]
    bad = await intake.client.get(
        "/v1/participants", params={"limit": 0, "role": "boss"}, headers=company.auth
    )
    assert bad.status_code == 422 and {e["loc"][1] for e in bad.json()["detail"]} == {"limit", "role"}
