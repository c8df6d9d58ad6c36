"""Consent texts: versioned, in Danish and English, each in force from its day; every registration (API,
import) records the version the person agreed to, today's when it names none; intake's export shows it."""

from __future__ import annotations

import json
from datetime import timedelta

from services.intake.app import create_app
from services.intake.service_layer.clock import today
from services.intake.settings import IntakeSettings
from tests.intake.payloads import mentee
from tests.support.services import run_service

ADMIN_TOKEN = "consent-test-staff"
STAFF = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def setup(client, settings):
    day = today(settings.programme_timezone)
    company = (
        await client.post(
            "/v1/companies",
            headers=STAFF,
            json={"name": "Nordvind", "hr_contact_name": "Lone", "hr_contact_email": "hr@nordvind.example"},
        )
    ).json()["company_id"]
    key = (await client.post(f"/v1/companies/{company}/api-keys", headers=STAFF)).json()["api_key"]
    cohort = await client.post(
        "/v1/cohorts",
        headers=STAFF,
        json={"name": "2027", "intake_opens_on": str(day - timedelta(days=5)),
              "intake_closes_on": str(day + timedelta(days=30))},
    )  # fmt: skip
    return {"Authorization": f"Bearer {key}"}, cohort.json()["cohort_id"], day


def text(version: str, published_on) -> dict:
    return {
        "version": version,
        "text_da": f"Jeg giver samtykke ({version}).",
        "text_en": f"I consent ({version}).",
        "published_on": str(published_on),
    }


async def test_registrations_record_the_consent_version_in_force_or_the_one_named(make_settings):
    settings = await make_settings(IntakeSettings, admin_token=ADMIN_TOKEN)
    async with run_service(create_app(settings)) as client:
        company, cohort, day = await setup(client, settings)
        before = await client.post("/v1/participants", headers=company, json=mentee(cohort))
        assert before.status_code == 201 and before.json()["consent_text_version"] == ""  # none published yet

        for version, published_on in (("2026-1", day - timedelta(days=300)), ("2027-1", day),
                                      ("2028-1", day + timedelta(days=30))):  # fmt: skip
            published = await client.post(
                "/v1/consent-texts", headers=STAFF, json=text(version, published_on)
            )
            assert published.status_code == 201, published.text
        again = await client.post("/v1/consent-texts", headers=STAFF, json=text("2027-1", day))
        assert again.status_code == 409 and again.json()["code"] == "consent_version_exists"
        by_company = await client.post("/v1/consent-texts", headers=company, json=text("x", day))
        assert by_company.status_code == 401

        listed = (await client.get("/v1/consent-texts")).json()
        assert [(t["version"], t["in_force"]) for t in listed] == [
            ("2028-1", False), ("2027-1", True), ("2026-1", False),
        ]  # fmt: skip
        one = (await client.get("/v1/consent-texts/2026-1")).json()
        assert one["text_da"] == "Jeg giver samtykke (2026-1)." and one["text_en"] == "I consent (2026-1)."
        assert (await client.get("/v1/consent-texts/none")).status_code == 404

        today_s = await client.post(
            "/v1/participants", headers={**company, "Idempotency-Key": "k1"}, json=mentee(cohort)
        )
        assert today_s.status_code == 201 and today_s.json()["consent_text_version"] == "2027-1"
        named = await client.post(
            "/v1/participants", headers=company, json=mentee(cohort, consent_text_version="2026-1")
        )
        assert named.status_code == 201 and named.json()["consent_text_version"] == "2026-1"
        unknown = await client.post(
            "/v1/participants", headers=company, json=mentee(cohort, consent_text_version="1999-9")
        )
        assert unknown.status_code == 422
        assert [(d["loc"], d["type"]) for d in unknown.json()["detail"]] == [
            (["body", "consent_text_version"], "unknown_consent_text")
        ]

        # the export shows the version and the very text agreed to
        exported = await client.get(
            f"/v1/participants/{today_s.json()['participant_id']}/export", headers=STAFF
        )
        assert exported.status_code == 200
        data = exported.json()["data"]
        assert data["registration"]["consent_text_version"] == "2027-1"
        assert data["consent_text"]["text_en"] == "I consent (2027-1)."


async def test_an_import_records_todays_version_and_refuses_an_unknown_one_per_row(make_settings):
    settings = await make_settings(IntakeSettings, admin_token=ADMIN_TOKEN)
    async with run_service(create_app(settings)) as client:
        company, cohort, day = await setup(client, settings)
        published = await client.post("/v1/consent-texts", headers=STAFF, json=text("2027-1", day))
        assert published.status_code == 201, published.text
        rows = [
            {k: v for k, v in mentee(cohort, external_ref="A").items() if k != "cohort_id"},
            {k: v for k, v in mentee(cohort, external_ref="B", consent_text_version="nope").items() if k != "cohort_id"},
        ]  # fmt: skip
        imported = await client.post(
            f"/v1/cohorts/{cohort}/imports",
            headers={**company, "Content-Type": "application/json"},
            content=json.dumps(rows),
        )
        assert imported.status_code == 200, imported.text
        report = imported.json()
        assert (report["accepted"], report["rejected"]) == (1, 1)
        refused = next(r for r in report["results"] if r["status"] == "rejected")
        assert [(e["field"], e["type"]) for e in refused["errors"]] == [
            ("consent_text_version", "unknown_consent_text")
        ]
        accepted = next(r for r in report["results"] if r["status"] == "accepted")
        person = await client.get(f"/v1/participants/{accepted['participant_id']}", headers=company)
        assert person.json()["consent_text_version"] == "2027-1"

        # a newer version published later: the same file again is a replay of row A, not a conflict
        newer = await client.post("/v1/consent-texts", headers=STAFF, json=text("2027-2", day))
        assert newer.status_code == 201
        again = await client.post(
            f"/v1/cohorts/{cohort}/imports",
            headers={**company, "Content-Type": "application/json"},
            content=json.dumps(rows[:1]),
        )
        assert again.json()["results"][0]["replayed"] is True, again.text
