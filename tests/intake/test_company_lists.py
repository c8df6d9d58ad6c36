"""A company's must-not-pair list and its HR contact, changed after registration, over HTTP against the
real database: what is refused writes nothing; what changes reaches the other services as events."""

from __future__ import annotations

import json
import uuid

from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee, mentor, row


async def set_list(intake, company, ids):
    return await intake.client.put(
        f"/v1/companies/{company.company_id}/avoid-companies",
        json={"avoid_company_ids": [str(i) for i in ids]},
        headers=ADMIN,
    )


async def register(intake, company, body) -> str:
    answer = await intake.client.post("/v1/participants", json=body, headers=company.auth)
    assert answer.status_code == 201, answer.text
    return answer.json()["participant_id"]


async def profiles(intake, participant_id: str) -> list[tuple[str, set[str]]]:
    """(event type, published avoid list) of every event stating the participant's profile, in order."""
    return [
        (e.event_type, {str(c) for c in e.profile.avoid_company_ids})
        for e in await intake.events()
        if e.event_type in ("ParticipantRegistered", "ParticipantProfileUpdated")
        and str(e.participant_id) == participant_id
    ]


async def test_a_changed_list_republishes_every_active_participant_with_it_merged_in(intake):
    company, rival, other = await intake.company(), await intake.company(), await intake.company()
    cohort = await intake.cohort()
    own = await register(intake, company, mentor(cohort, avoid_company_ids=[other.company_id]))
    plain = await register(intake, company, mentee(cohort))
    gone = await register(intake, company, mentee(cohort))
    withdrawn = await intake.client.post(
        f"/v1/participants/{gone}/withdrawal", json={"reason": "left_company"}, headers=company.auth
    )
    assert withdrawn.status_code == 200, withdrawn.text
    outsider = await register(intake, rival, mentee(cohort))

    answer = await set_list(intake, company, [rival.company_id, rival.company_id])
    assert answer.status_code == 200, answer.text
    assert answer.json()["avoid_company_ids"] == [rival.company_id]
    got = await intake.client.get(f"/v1/companies/{company.company_id}", headers=ADMIN)
    assert got.json()["avoid_company_ids"] == [rival.company_id]

    assert (await profiles(intake, own))[-1] == (
        "ParticipantProfileUpdated",
        {other.company_id, rival.company_id},
    )
    assert (await profiles(intake, plain))[-1] == ("ParticipantProfileUpdated", {rival.company_id})
    assert [t for t, _ in await profiles(intake, gone)] == ["ParticipantRegistered"]
    assert [t for t, _ in await profiles(intake, outsider)] == ["ParticipantRegistered"]
    # the participant's own list is what the company reads back; the company's list is added on publishing
    mine = await intake.client.get(f"/v1/participants/{own}", headers=company.auth)
    assert mine.json()["avoid_company_ids"] == [other.company_id]

    # the same list again changes nothing and publishes nothing
    before = await intake.state()
    assert (await set_list(intake, company, [rival.company_id])).status_code == 200
    assert await intake.state() == before

    # a company already on the participant's own list: the merged list is the same, nothing published
    await set_list(intake, company, [])
    events_before = len(await profiles(intake, own))
    assert (await set_list(intake, company, [other.company_id])).status_code == 200
    assert len(await profiles(intake, own)) == events_before
    assert (await profiles(intake, plain))[-1] == ("ParticipantProfileUpdated", {other.company_id})


async def test_people_registered_and_changed_later_carry_the_companys_list(intake):
    company, rival = await intake.company(), await intake.company()
    cohort = await intake.cohort()
    assert (await set_list(intake, company, [rival.company_id])).status_code == 200

    by_form = await register(intake, company, mentee(cohort))
    assert (await profiles(intake, by_form)) == [("ParticipantRegistered", {rival.company_id})]
    changed = await intake.client.patch(
        f"/v1/participants/{by_form}", json={"years_experience": 9}, headers=company.auth
    )
    assert changed.status_code == 200, changed.text
    assert (await profiles(intake, by_form))[-1] == ("ParticipantProfileUpdated", {rival.company_id})

    imported = await intake.client.post(
        f"/v1/cohorts/{cohort}/imports",
        content=json.dumps([row(external_ref="IMP-1")]).encode(),
        headers={**company.auth, "Content-Type": "application/json"},
    )
    assert imported.status_code == 200 and imported.json()["accepted"] == 1, imported.text
    [event] = [
        e
        for e in await intake.events("ParticipantRegistered")
        if str(e.company_id) == company.company_id and str(e.participant_id) != by_form
    ]
    assert {str(c) for c in event.profile.avoid_company_ids} == {rival.company_id}


async def test_a_bad_list_is_refused_at_the_entry_and_writes_nothing(intake):
    company = await intake.company()
    cohort = await intake.cohort()
    await register(intake, company, mentee(cohort))
    before = await intake.state()
    unknown = uuid.uuid4()

    answer = await set_list(intake, company, [company.company_id, unknown])
    assert answer.status_code == 422, answer.text
    problems = {(tuple(p["loc"]), p["type"]) for p in answer.json()["detail"]}
    assert problems == {
        (("body", "avoid_company_ids", 0), "own_company"),
        (("body", "avoid_company_ids", 1), "unknown_company"),
    }
    assert (await set_list(intake, company, ["not-a-uuid"])).status_code == 422
    missing = await intake.client.put(
        f"/v1/companies/{uuid.uuid4()}/avoid-companies", json={"avoid_company_ids": []}, headers=ADMIN
    )
    assert missing.status_code == 404 and missing.json()["code"] == "company_not_found"
    refused = await intake.client.put(
        f"/v1/companies/{company.company_id}/avoid-companies",
        json={"avoid_company_ids": []},
        headers=company.auth,
    )
    assert refused.status_code == 401
    assert await intake.state() == before
    got = await intake.client.get(f"/v1/companies/{company.company_id}", headers=ADMIN)
    assert got.json()["avoid_company_ids"] == []


async def test_a_changed_hr_contact_is_stored_and_stated_again_to_the_other_services(intake):
    company = await intake.company()
    url = f"/v1/companies/{company.company_id}"
    answer = await intake.client.patch(url, json={"hr_contact_email": "mabe@example.com"}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["hr_contact_name"], answer.json()["hr_contact_email"]) == (
        "Lone Holm",
        "mabe@example.com",
    )
    statements = [
        e for e in await intake.events("CompanyRegistered") if str(e.company_id) == company.company_id
    ]
    assert [(e.name, e.hr_contact_name, e.hr_contact_email) for e in statements][1:] == [
        (statements[0].name, "Lone Holm", "mabe@example.com")
    ]
    assert statements[1].occurred_at > statements[0].occurred_at

    before = await intake.state(), len(await intake.events("CompanyRegistered"))
    same = await intake.client.patch(url, json={"hr_contact_name": "Lone Holm"}, headers=ADMIN)
    assert same.status_code == 200
    for bad in ({"hr_contact_email": "nope"}, {"hr_contact_name": "  "}, {"name": "Renamed"}):
        refused = await intake.client.patch(url, json=bad, headers=ADMIN)
        assert refused.status_code == 422, (bad, refused.text)
    assert (await intake.client.patch(url, json={}, headers=company.auth)).status_code == 401
    assert (
        await intake.client.patch(f"/v1/companies/{uuid.uuid4()}", json={}, headers=ADMIN)
    ).status_code == 404
    assert (await intake.state(), len(await intake.events("CompanyRegistered"))) == before
    got = await intake.client.get(url, headers=ADMIN)
    assert got.json()["hr_contact_email"] == "mabe@example.com"
