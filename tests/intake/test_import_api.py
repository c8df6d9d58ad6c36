"""Bulk import over HTTP: good rows in, bad rows reported and nothing else changed."""

from __future__ import annotations

import csv
import io
import json
import uuid

from services.intake.domain.importing import COLUMNS, SourceRow
from services.intake.domain.registration import Registration
from services.intake.service_layer import imports
from tests.intake.conftest import ADMIN
from tests.intake.payloads import row


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for item in rows:
        writer.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in item.items()})
    return out.getvalue().encode()


async def post(intake, company, cohort, content: bytes, content_type: str, **params):
    return await intake.client.post(
        f"/v1/cohorts/{cohort}/imports",
        content=content,
        params=params,
        headers={**company.auth, "Content-Type": content_type},
    )


async def company_state(intake, company) -> tuple[int, int, int]:
    """This company's participants, ParticipantRegistered events and external_ref records."""
    cid = uuid.UUID(company.company_id)
    events = [e for e in await intake.events("ParticipantRegistered") if e.company_id == cid]
    return (
        await intake.count("SELECT count(*) FROM participants WHERE company_id = $1", cid),
        len(events),
        await intake.count("SELECT count(*) FROM idempotency_keys WHERE company_id = $1", cid),
    )


def mixed_rows() -> list[dict]:
    return [
        row(external_ref="A-1"),
        row(external_ref="A-2", leadership_level=9, region="Mars"),
        row(external_ref="A-3", role="mentor", capacity=2),
        row(external_ref="A-4", email="twice@example.com"),
        row(external_ref="A-5", email="twice@example.com"),
        row(external_ref="A-6", consent=False),
        row(),
    ]


async def test_a_csv_import_registers_the_good_rows_and_reports_the_bad_ones(intake):
    company, cohort = await intake.company(), await intake.cohort()
    others_before = await intake.state()
    answer = await post(intake, company, cohort, as_csv(mixed_rows()), "text/csv")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["rows"], report["accepted"], report["rejected"], report["dry_run"]) == (7, 4, 3, False)
    statuses = [(r["row"], r["line"], r["status"]) for r in report["results"]]
    assert statuses == [
        (1, 2, "accepted"), (2, 3, "rejected"), (3, 4, "accepted"), (4, 5, "accepted"),
        (5, 6, "rejected"), (6, 7, "rejected"), (7, 8, "accepted"),
    ]  # fmt: skip
    errors = {r["row"]: {e["field"] for e in r["errors"]} for r in report["results"] if r["errors"]}
    assert errors == {2: {"leadership_level", "region"}, 5: {"email"}, 6: {"consent"}}

    accepted = {r["participant_id"] for r in report["results"] if r["status"] == "accepted"}
    async with intake.pool.acquire() as conn:
        stored = await conn.fetch(
            "SELECT participant_id, external_ref FROM participants WHERE company_id = $1",
            uuid.UUID(company.company_id),
        )
    assert {str(r["participant_id"]) for r in stored} == accepted
    assert {r["external_ref"] for r in stored} == {"A-1", "A-3", "A-4", None}
    events = [
        e for e in await intake.events("ParticipantRegistered") if str(e.company_id) == company.company_id
    ]
    assert {str(e.participant_id) for e in events} == accepted and len(events) == 4
    assert await company_state(intake, company) == (4, 4, 3)
    after = await intake.state()
    assert (after[0] - others_before[0], after[1] - others_before[1]) == (4, 4)


async def test_a_json_import_says_the_same(intake):
    company, cohort = await intake.company(), await intake.cohort()
    answer = await post(intake, company, cohort, json.dumps(mixed_rows()).encode(), "application/json")
    report = answer.json()
    assert (report["format"], report["accepted"], report["rejected"]) == ("json", 4, 3)
    assert all(r["line"] is None for r in report["results"])
    assert (await company_state(intake, company))[:2] == (4, 4)


async def test_a_dry_run_reports_the_same_and_changes_nothing(intake):
    company, cohort = await intake.company(), await intake.cohort()
    before = await intake.state()
    answer = await post(intake, company, cohort, as_csv(mixed_rows()), "text/csv", dry_run="true")
    report = answer.json()
    assert answer.status_code == 200 and report["dry_run"] is True
    assert [r["status"] for r in report["results"]] == [
        "accepted",
        "rejected",
        "accepted",
        "accepted",
        "rejected",
        "rejected",
        "accepted",
    ]
    assert all(r["participant_id"] is None for r in report["results"])
    assert await intake.state() == before


async def test_importing_the_same_file_again_registers_nobody_twice(intake):
    company, cohort = await intake.company(), await intake.cohort()
    rows = [row(external_ref="B-1"), row(external_ref="B-2"), row()]
    first = (await post(intake, company, cohort, as_csv(rows), "text/csv")).json()
    before = await intake.state()
    again = (await post(intake, company, cohort, as_csv(rows), "text/csv")).json()
    assert [(r["status"], r["replayed"]) for r in again["results"]] == [
        ("accepted", True),
        ("accepted", True),
        ("rejected", False),
    ]
    assert [r["participant_id"] for r in again["results"][:2]] == [
        r["participant_id"] for r in first["results"][:2]
    ]
    assert again["results"][2]["errors"][0]["type"] == "duplicate_email"
    assert await intake.state() == before


async def test_a_row_registered_by_the_api_before_is_recognised_by_its_external_ref(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body = row(external_ref="C-1")
    single = await intake.client.post(
        "/v1/participants", json={**body, "cohort_id": cohort}, headers=company.auth
    )
    report = (
        await post(
            intake,
            company,
            cohort,
            json.dumps([body, {**body, "external_ref": "C-2"}]).encode(),
            "application/json",
        )
    ).json()
    first, second = report["results"]
    assert first["replayed"] and first["participant_id"] == single.json()["participant_id"]
    assert second["status"] == "rejected" and second["errors"][0]["type"] == "duplicate_email"


async def test_file_level_problems_refuse_the_whole_import(intake):
    company, cohort = await intake.company(), await intake.cohort()
    before = await intake.state()
    bad_header = await post(intake, company, cohort, b"name,emial\nAne,a@example.com\n", "text/csv")
    assert bad_header.status_code == 422 and bad_header.json()["detail"][0]["loc"] == ["body", "header"]
    assert "emial" in bad_header.json()["detail"][0]["msg"]
    excel = await post(intake, company, cohort, b"PK\x03\x04", "application/vnd.ms-excel")
    assert excel.status_code == 415 and excel.json()["code"] == "unsupported_format"
    unknown = await post(intake, company, uuid.uuid4(), as_csv([row()]), "text/csv")
    assert unknown.status_code == 404 and unknown.json()["code"] == "cohort_not_found"
    too_many = await post(intake, company, cohort, json.dumps([{}] * 10_001).encode(), "application/json")
    assert too_many.status_code == 413 and "10001 rows; at most 10000" in too_many.json()["detail"]
    too_big = await post(
        intake, company, cohort, b" " * (intake.settings.max_import_bytes + 1), "application/json"
    )
    assert too_big.status_code == 413 and too_big.json()["code"] == "body_too_large"
    assert await intake.state() == before


async def test_staff_import_a_file_on_a_companys_behalf(intake):
    company, cohort = await intake.company(), await intake.cohort()
    answer = await intake.client.post(
        f"/v1/companies/{company.company_id}/cohorts/{cohort}/imports",
        content=as_csv([row(), row()]),
        headers={**ADMIN, "Content-Type": "text/csv"},
    )
    assert answer.status_code == 200 and answer.json()["accepted"] == 2
    listed = (await intake.client.get("/v1/participants", headers=company.auth)).json()
    assert len(listed["items"]) == 2
    missing = await intake.client.post(
        f"/v1/companies/{uuid.uuid4()}/cohorts/{cohort}/imports",
        content=b"[]",
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert missing.status_code == 404


async def test_rows_that_lose_a_race_to_a_concurrent_registration_are_reported_not_written(intake):
    """Between screening and writing, the same person arrives through the API: the batch notices."""
    company, cohort = await intake.company(), await intake.cohort()
    by_ref, by_email, fresh = row(external_ref="D-1"), row(email="race@example.com"), row()
    for body in (by_ref, by_email):
        await intake.client.post("/v1/participants", json={**body, "cohort_id": cohort}, headers=company.auth)
    batch = [
        (SourceRow(n, body), Registration.model_validate({**body, "cohort_id": cohort}))
        for n, body in enumerate(({**by_ref, "job_title": "changed"}, by_email, fresh), start=1)
    ]
    before = await company_state(intake, company)
    results = {}
    await imports._register_batch(
        intake.pool,
        intake.app.state.runtime.vault,
        uuid.UUID(company.company_id),
        batch,
        results,
        intake.settings.programme_timezone,
    )
    assert results[1].status == "rejected" and results[1].errors[0].type == "external_ref_conflict"
    assert results[2].status == "rejected" and results[2].errors[0].type == "duplicate_email"
    assert results[3].status == "accepted"
    assert await company_state(intake, company) == (before[0] + 1, before[1] + 1, before[2])


async def test_a_row_imported_before_is_recognised_by_the_api_and_answered_with_the_participant(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body = row(external_ref="E-1")
    [imported] = (
        await post(intake, company, cohort, json.dumps([body]).encode(), "application/json")
    ).json()["results"]
    before = await intake.state()
    again = await intake.client.post(
        "/v1/participants", json={**body, "cohort_id": cohort}, headers=company.auth
    )
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert (
        again.json()["participant_id"] == imported["participant_id"]
        and again.json()["email"] == body["email"]
    )
    assert await intake.state() == before
