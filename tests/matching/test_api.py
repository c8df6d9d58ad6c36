"""The staff API's edges: credentials, unknown things, bad input (422 naming the field), settings."""

from __future__ import annotations

import uuid

from services.matching.app import create_app
from services.matching.settings import MatchingSettings
from shared.settings import ServiceSettings
from tests.matching.support import cohort_opened, company, emit, fake_intake, registered, staff
from tests.support.services import eventually, run_service


async def test_staff_settings_and_bad_input_change_nothing(make_settings):
    settings = await make_settings(MatchingSettings)
    intake_settings = await make_settings(ServiceSettings, service_name="intake-fake")
    headers = staff(settings)
    cohort_id = uuid.uuid4()
    acme, birk = company("Acme"), company("Birk")
    anna = registered(cohort_id, acme.company_id, "mentee", "Anna")
    same = registered(cohort_id, acme.company_id, "mentor", "Sam")
    dorte = registered(cohort_id, birk.company_id, "mentor", "Dorte")

    async with fake_intake(intake_settings).running() as intake, run_service(create_app(settings)) as client:
        assert (await client.get(f"/v1/cohorts/{cohort_id}")).status_code == 401
        assert (
            await client.get(f"/v1/cohorts/{cohort_id}", headers={"Authorization": "Bearer nope"})
        ).status_code == 401
        assert (await client.get(f"/v1/cohorts/{cohort_id}", headers=headers)).status_code == 404
        assert (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).status_code == 404
        assert (await client.get(f"/v1/runs/{uuid.uuid4()}", headers=headers)).status_code == 404
        assert (await client.post(f"/v1/runs/{uuid.uuid4()}/approve", headers=headers)).status_code == 404
        gone = await client.post(f"/v1/pairs/{uuid.uuid4()}/end", headers=headers, json={"reason": "x"})
        assert gone.status_code == 404

        await emit(intake, [cohort_opened(cohort_id, "2027"), acme, birk, anna, same, dorte])

        async def known() -> int:
            answer = await client.get(f"/v1/cohorts/{cohort_id}", headers=headers)
            return answer.json()["mentors"] if answer.status_code == 200 else 0

        await eventually(known, equals=2)
        defaults = (await client.get(f"/v1/cohorts/{cohort_id}/settings", headers=headers)).json()
        assert defaults["weights"]["themes"] == 35.0 and defaults["fairness"] is False

        bad = await client.put(
            f"/v1/cohorts/{cohort_id}/settings",
            headers=headers,
            json={"weights": {"themes": -1, "colour": 3}, "industry_preference": "sometimes"},
        )
        assert bad.status_code == 422
        fields = {tuple(e["loc"]) for e in bad.json()["detail"]}
        assert ("body", "weights", "themes") in fields
        assert ("body", "weights", "colour", "[key]") in fields
        assert ("body", "industry_preference") in fields
        assert (await client.get(f"/v1/cohorts/{cohort_id}/settings", headers=headers)).json() == defaults

        chosen = await client.put(
            f"/v1/cohorts/{cohort_id}/settings",
            headers=headers,
            json={"weights": {"themes": 50}, "fairness": True, "industry_preference": "same"},
        )
        assert chosen.status_code == 200
        assert chosen.json()["weights"] == {**defaults["weights"], "themes": 50.0}

        # A pin that breaks a hard rule is refused with the rule, and nothing is pinned.
        pin = {"mentee_id": str(anna.participant_id), "mentor_id": str(same.participant_id)}
        refused = await client.post(f"/v1/cohorts/{cohort_id}/pins", headers=headers, json=pin)
        assert refused.status_code == 422
        assert "same company" in refused.json()["detail"]
        swapped = {"mentee_id": str(dorte.participant_id), "mentor_id": str(anna.participant_id)}
        assert (
            await client.post(f"/v1/cohorts/{cohort_id}/pins", headers=headers, json=swapped)
        ).status_code == 422
        unknown = {"mentee_id": str(uuid.uuid4()), "mentor_id": str(dorte.participant_id)}
        assert (
            await client.post(f"/v1/cohorts/{cohort_id}/pins", headers=headers, json=unknown)
        ).status_code == 404
        malformed = await client.post(
            f"/v1/cohorts/{cohort_id}/pins", headers=headers, json={"mentee_id": "x"}
        )
        assert malformed.status_code == 422
        assert {tuple(e["loc"]) for e in malformed.json()["detail"]} == {
            ("body", "mentee_id"),
            ("body", "mentor_id"),
        }
        state = (await client.get(f"/v1/cohorts/{cohort_id}", headers=headers)).json()
        assert state["pins"] == [] and state["name"] == "2027"

        # The run uses the cohort's settings and says so.
        run = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        assert run["settings"]["fairness"] is True and run["settings"]["weights"]["themes"] == 50.0
        assert run["solver"]["method"] == "exact" and run["solver"]["proven_optimal"] is True
        assert [(p["mentee_name"], p["mentor_name"]) for p in run["proposals"]] == [("Anna", "Dorte")]
        assert run["proposals"][0]["explanation"]["themes"] == 50.0
        runs = (await client.get(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        assert [r["run_id"] for r in runs] == [run["run_id"]]

        approved = (await client.post(f"/v1/runs/{run['run_id']}/approve", headers=headers)).json()
        pair_id = approved["pairs"][0]["pair_id"]
        no_reason = await client.post(f"/v1/pairs/{pair_id}/end", headers=headers, json={"reason": ""})
        assert no_reason.status_code == 422
        assert [tuple(e["loc"]) for e in no_reason.json()["detail"]] == [("body", "reason")]
        pairs = (await client.get(f"/v1/cohorts/{cohort_id}/pairs?active_only=true", headers=headers)).json()
        assert [p["pair_id"] for p in pairs] == [pair_id]
        assert pairs[0]["ended_on"] is None
