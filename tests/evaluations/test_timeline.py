"""A cohort's programme timeline (kick-off, mid-point, closing) and closing the cohort, at intake."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee


def timeline(intake, **overrides):
    day = intake.today()
    body = {
        "name": f"Year {uuid.uuid4().hex[:8]}",
        "intake_opens_on": (day - timedelta(days=10)).isoformat(),
        "intake_closes_on": (day + timedelta(days=20)).isoformat(),
        "kickoff_on": (day + timedelta(days=40)).isoformat(),
        "midpoint_on": (day + timedelta(days=200)).isoformat(),
        "closing_on": (day + timedelta(days=380)).isoformat(),
    }
    return {**body, **overrides}


async def test_a_cohort_opened_with_its_timeline_carries_it_in_cohort_opened(intake):
    body = timeline(intake)
    created = await intake.client.post("/v1/cohorts", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    cohort = created.json()
    assert [cohort[k] for k in ("kickoff_on", "midpoint_on", "closing_on", "closed_on")] == [
        body["kickoff_on"], body["midpoint_on"], body["closing_on"], None,
    ]  # fmt: skip
    [opened] = [e for e in await intake.events("CohortOpened") if str(e.cohort_id) == cohort["cohort_id"]]
    assert opened.model_dump(mode="json", include={"kickoff_on", "midpoint_on", "closing_on"}) == {
        k: body[k] for k in ("kickoff_on", "midpoint_on", "closing_on")
    }
    listed = (await intake.client.get(f"/v1/cohorts/{cohort['cohort_id']}", headers=ADMIN)).json()
    assert listed["midpoint_on"] == body["midpoint_on"]


async def test_a_timeline_out_of_order_is_refused_naming_the_date(intake):
    day = intake.today()
    for wrong in (
        {"midpoint_on": (day + timedelta(days=30)).isoformat()},  # before kick-off
        {"closing_on": (day + timedelta(days=200)).isoformat()},  # same day as the mid-point
        {"kickoff_on": (day - timedelta(days=11)).isoformat()},  # before intake opens
    ):
        answer = await intake.client.post("/v1/cohorts", json=timeline(intake, **wrong), headers=ADMIN)
        assert answer.status_code == 422, (wrong, answer.text)
        assert "must be after" in answer.text
    partial = timeline(intake, midpoint_on=None, closing_on=None)
    assert (await intake.client.post("/v1/cohorts", json=partial, headers=ADMIN)).status_code == 201


async def test_staff_move_the_timeline_and_cohort_updated_states_it_whole(intake):
    body = timeline(intake, midpoint_on=None)
    cohort = (await intake.client.post("/v1/cohorts", json=body, headers=ADMIN)).json()["cohort_id"]
    midpoint = (intake.today() + timedelta(days=180)).isoformat()
    changed = await intake.client.patch(
        f"/v1/cohorts/{cohort}", json={"midpoint_on": midpoint}, headers=ADMIN
    )
    assert changed.status_code == 200, changed.text
    [update] = [e for e in await intake.events("CohortUpdated") if str(e.cohort_id) == cohort]
    assert update.midpoint_on.isoformat() == midpoint and update.kickoff_on.isoformat() == body["kickoff_on"]
    late = (intake.today() + timedelta(days=500)).isoformat()
    refused = await intake.client.patch(f"/v1/cohorts/{cohort}", json={"midpoint_on": late}, headers=ADMIN)
    assert refused.status_code == 422


async def test_closing_a_cohort_publishes_cohort_closed_once_and_freezes_it(intake):
    company = await intake.company()
    cohort = (await intake.client.post("/v1/cohorts", json=timeline(intake), headers=ADMIN)).json()[
        "cohort_id"
    ]
    assert (
        await intake.client.post("/v1/participants", json=mentee(cohort), headers=company.auth)
    ).status_code == 201
    denied = await intake.client.post(f"/v1/cohorts/{cohort}/closure", headers=company.auth)
    assert denied.status_code in (401, 403)

    closed = await intake.client.post(f"/v1/cohorts/{cohort}/closure", headers=ADMIN)
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_on"] == intake.today().isoformat()
    assert closed.json()["intake_state"] == "closed"
    again = await intake.client.post(f"/v1/cohorts/{cohort}/closure", headers=ADMIN)
    assert again.status_code == 200
    [event] = [e for e in await intake.events("CohortClosed") if str(e.cohort_id) == cohort]
    assert event.closed_on == intake.today()

    moved = await intake.client.patch(f"/v1/cohorts/{cohort}", json={"name": "renamed"}, headers=ADMIN)
    assert (moved.status_code, moved.json()["code"]) == (409, "cohort_closed")
    late = await intake.client.post("/v1/participants", json=mentee(cohort), headers=company.auth)
    assert (late.status_code, late.json()["code"]) == (409, "cohort_closed")
    unknown = await intake.client.post(f"/v1/cohorts/{uuid.uuid4()}/closure", headers=ADMIN)
    assert unknown.status_code == 404
