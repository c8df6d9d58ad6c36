"""What an attacker or a broken HR export sends intake: a NUL in any text, a giant CSV cell, JSON nested
past the parser's limit, a consent dated in year 1. Each is refused naming the field (422) or the size
(413), never a 500, and nothing is stored (issue 16)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee, row
from tests.intake.test_import_api import as_csv, post

NUL = "Mette\x00Jensen"


def problems(answer: Any) -> list[tuple[list[str | int], str]]:
    assert answer.status_code == 422, answer.text
    return [(p["loc"], p["type"]) for p in answer.json()["detail"]]


@pytest.mark.parametrize("field", ["name", "hr_contact_name", "hr_contact_email"])
async def test_a_nul_in_a_company_is_a_422_naming_the_field(intake, field):
    body = {
        "name": f"Company {uuid.uuid4().hex[:8]}",
        "hr_contact_name": "Lone",
        "hr_contact_email": "l@x.dk",
    }
    before = await intake.count("SELECT count(*) FROM companies")
    answer = await intake.client.post(
        "/v1/companies", json={**body, field: body[field] + "\x00"}, headers=ADMIN
    )
    assert problems(answer) == [(["body", field], "nul_character")]
    assert await intake.count("SELECT count(*) FROM companies") == before


async def test_a_nul_in_a_cohort_name_or_an_api_key_label_is_a_422(intake):
    company = await intake.company()
    cohort = {"name": "Cohort\x00", "intake_opens_on": "2027-01-01", "intake_closes_on": "2027-02-01"}
    assert problems(await intake.client.post("/v1/cohorts", json=cohort, headers=ADMIN)) == [
        (["body", "name"], "nul_character")
    ]
    label = await intake.client.post(
        f"/v1/companies/{company.company_id}/api-keys", json={"label": "HR\x00"}, headers=ADMIN
    )
    assert problems(label) == [(["body", "label"], "nul_character")]


@pytest.mark.parametrize(
    "field", ["name", "email", "job_title", "themes_free_text", "expectations", "external_ref", "region"]
)
async def test_a_nul_in_a_registration_is_a_422_naming_the_field_and_registers_nobody(intake, field):
    company, cohort = await intake.company(), await intake.cohort()
    body = mentee(cohort, external_ref=f"HR-{uuid.uuid4().hex[:6]}")
    before = await intake.state()
    answer = await intake.client.post("/v1/participants", json={**body, field: NUL}, headers=company.auth)
    assert problems(answer) == [(["body", field], "nul_character")]
    assert await intake.state() == before


async def test_a_nul_in_a_list_a_change_a_withdrawal_or_the_external_ref_query_is_a_422(intake):
    company, cohort = await intake.company(), await intake.cohort()
    with_nul_theme = mentee(cohort, languages=["da", "e\x00n"])
    assert problems(
        await intake.client.post("/v1/participants", json=with_nul_theme, headers=company.auth)
    ) == [(["body", "languages", 1], "nul_character")]
    created = await intake.client.post("/v1/participants", json=mentee(cohort), headers=company.auth)
    assert created.status_code == 201, created.text
    participant = created.json()["participant_id"]
    change = await intake.client.patch(
        f"/v1/participants/{participant}", json={"expectations": NUL}, headers=company.auth
    )
    assert problems(change) == [(["body", "expectations"], "nul_character")]
    withdrawal = await intake.client.post(
        f"/v1/participants/{participant}/withdrawal",
        json={"reason": "left_company", "note": NUL},
        headers=company.auth,
    )
    assert problems(withdrawal) == [(["body", "note"], "nul_character")]
    lookup = await intake.client.get(
        "/v1/participants", params={"external_ref": "HR\x0012"}, headers=company.auth
    )
    assert problems(lookup) == [(["query", "external_ref"], "nul_character")]
    assert (await intake.client.get(f"/v1/participants/{participant}", headers=company.auth)).json()[
        "status"
    ] == "active"


async def test_a_csv_row_with_a_nul_is_rejected_naming_the_field_and_the_others_go_in(intake):
    company, cohort = await intake.company(), await intake.cohort()
    content = as_csv([row(), row(job_title="Lead\x00er"), row()])
    answer = await post(intake, company, cohort, content, "text/csv")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["accepted"], report["rejected"]) == (2, 1)
    assert report["results"][1]["errors"] == [
        {
            "field": "job_title",
            "message": "must not contain the NUL character (U+0000)",
            "type": "nul_character",
        }
    ]


async def test_a_json_import_row_with_a_nul_sent_as_text_json_is_rejected_naming_the_field(intake):
    """application/json bodies are screened before the route; text/json reaches the import's own check."""
    company, cohort = await intake.company(), await intake.cohort()
    content = json.dumps([row(), row(themes=["first_time_manager", "x\x00"])]).encode()
    answer = await post(intake, company, cohort, content, "text/json")
    assert answer.status_code == 200, answer.text
    assert [(r["status"], [e["field"] for e in r["errors"]]) for r in answer.json()["results"]] == [
        ("accepted", []),
        ("rejected", ["themes"]),
    ]
    screened = await post(intake, company, cohort, content, "application/json")
    assert problems(screened) == [(["body", 1, "themes", 1], "nul_character")]


async def test_a_csv_cell_over_131072_characters_is_a_422_not_a_500(intake):
    company, cohort = await intake.company(), await intake.cohort()
    content = as_csv([row(), row(expectations="x" * 131_073)])
    before = await intake.state()
    answer = await post(intake, company, cohort, content, "text/csv")
    assert problems(answer) == [(["body"], "csv_invalid")]
    assert "line 3" in answer.json()["detail"][0]["msg"]
    assert await intake.state() == before


@pytest.mark.parametrize("content_type", ["application/json", "text/json"])
async def test_a_json_import_nested_past_the_recursion_limit_is_a_422_not_a_500(intake, content_type):
    company, cohort = await intake.company(), await intake.cohort()
    depth = 200_000
    answer = await post(intake, company, cohort, b"[" * depth + b"]" * depth, content_type)
    assert problems(answer) == [(["body"], "json_too_deep")]


@pytest.mark.parametrize(
    "consented_at", ["0001-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2999-01-01T00:00:00Z"]
)
async def test_a_consent_outside_the_programme_s_time_is_refused(intake, consented_at):
    company, cohort = await intake.company(), await intake.cohort()
    body = mentee(cohort, consented_at=consented_at)
    before = await intake.state()
    answer = await intake.client.post("/v1/participants", json=body, headers=company.auth)
    assert problems(answer) == [(["body", "consented_at"], "value_error")]
    assert await intake.state() == before


async def test_a_consent_from_this_century_is_accepted(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body = mentee(cohort, consented_at="2000-01-01T00:00:00Z")
    answer = await intake.client.post("/v1/participants", json=body, headers=company.auth)
    assert answer.status_code == 201, answer.text
