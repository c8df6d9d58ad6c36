"""Retention: a cohort closed more than the retention period ago is anonymised in one step (every
participant erased through the bulk erasure), and the cohort's figures stay what they were."""

from __future__ import annotations

from datetime import timedelta

from services.intake.app import create_app
from services.intake.service_layer.clock import today
from services.intake.settings import IntakeSettings
from shared.privacy import ERASED
from tests.end_to_end.system import STAFF, running_system
from tests.privacy.rights_support import bearer, matched_pair
from tests.support.services import eventually, run_service

FIGURES = ("participants", "mentees", "mentors", "companies", "pairs", "active_pairs", "sessions", "hours")


async def figures(system, cohort_id: str) -> dict:
    answer = await system.reporting.get(f"/api/programme/cohorts/{cohort_id}", headers=STAFF)
    if answer.status_code != 200:
        return {}
    rows = {row["figure"]: row["value"] for row in answer.json()["tables"]["summary"]["rows"]}
    return {name: rows.get(name) for name in FIGURES}


async def test_a_closed_cohort_is_anonymised_in_one_step_and_keeps_its_figures(make_settings):
    async with running_system(make_settings, retention_days=0) as system:
        programme = await matched_pair(system)
        cohort = programme.cohort_id
        running = await system.intake.post(f"/v1/cohorts/{cohort}/anonymisation", headers=STAFF)
        assert running.status_code == 409 and running.json()["code"] == "cohort_not_closed"

        expected = {"participants": 2, "mentees": 1, "mentors": 1, "companies": 2, "pairs": 1, "sessions": 2}
        before = await eventually(
            lambda: _when(figures(system, cohort), lambda f: all(f.get(k) == v for k, v in expected.items())),
            timeout_s=30,
        )
        closed = await system.intake.post(f"/v1/cohorts/{cohort}/closure", headers=STAFF)
        assert closed.status_code == 200, closed.text
        company = await system.intake.post(
            f"/v1/cohorts/{cohort}/anonymisation", headers=programme.company_keys["Nordvind"]
        )
        assert company.status_code == 401

        done = await system.intake.post(f"/v1/cohorts/{cohort}/anonymisation", headers=STAFF)
        assert done.status_code == 200, done.text
        answer = done.json()
        assert (answer["erased"], answer["already_erased"], answer["participants_not_erased"]) == (2, 0, 0)
        assert answer["keys"] == "destroyed" and answer["anonymised_on"] == answer["closed_on"]

        for person in (programme.mentee_id, programme.mentor_id):
            exported = await system.intake.get(f"/v1/participants/{person}/export", headers=STAFF)
            registration = exported.json()["data"]["registration"]
            assert (registration["name"], registration["email"], registration["status"]) == (
                ERASED,
                "",
                "erased",
            )

        async def names_in_reporting() -> set:
            found = set()
            for person in (programme.mentee_id, programme.mentor_id):
                exported = await system.reporting.get(f"/api/participants/{person}/export", headers=STAFF)
                found.add(exported.json()["data"]["participant"]["display_name"])
            return found

        await eventually(names_in_reporting, equals={ERASED}, timeout_s=30)
        assert await figures(system, cohort) == before  # the cohort's figures are kept

        again = await system.intake.post(f"/v1/cohorts/{cohort}/anonymisation", headers=STAFF)
        assert (again.json()["erased"], again.json()["already_erased"]) == (0, 2)
        # her personal link is recognised no more (erasure deletes it); staff's export holds nothing of
        # her but the ids and counts
        own = await system.intake.get(
            f"/v1/participants/{programme.mentee_id}/export", headers=bearer(programme.mentee_token)
        )
        assert own.status_code == 401, own.text
        kept = await system.intake.get(f"/v1/participants/{programme.mentee_id}/export", headers=STAFF)
        assert kept.status_code == 200 and kept.json()["data"]["registration"]["name"] == ERASED


async def _when(awaitable, condition):
    value = await awaitable
    return value if condition(value) else None


async def test_a_cohort_is_kept_for_the_retention_period_after_it_closes(make_settings):
    settings = await make_settings(IntakeSettings, admin_token="retention-staff", retention_days=365)
    staff = {"Authorization": "Bearer retention-staff"}
    async with run_service(create_app(settings)) as client:
        day = today(settings.programme_timezone)
        cohort = await client.post(
            "/v1/cohorts",
            headers=staff,
            json={"name": "2026", "intake_opens_on": str(day - timedelta(days=60)),
                  "intake_closes_on": str(day - timedelta(days=30))},
        )  # fmt: skip
        cohort_id = cohort.json()["cohort_id"]
        assert (await client.post(f"/v1/cohorts/{cohort_id}/closure", headers=staff)).status_code == 200

        refused = await client.post(f"/v1/cohorts/{cohort_id}/anonymisation", headers=staff)
        assert refused.status_code == 409 and refused.json()["code"] == "retention_not_reached"
        assert str(day + timedelta(days=365)) in refused.json()["detail"]
        status = (await client.get(f"/v1/cohorts/{cohort_id}/retention", headers=staff)).json()
        assert status["closed_on"] == str(day) and status["eligible_on"] == str(day + timedelta(days=365))
        assert status["may_anonymise"] is False and status["anonymised_on"] is None
