"""Who may do what: staff set up companies, keys and cohorts; a company sees only its own people."""

from __future__ import annotations

import uuid

from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee


async def test_staff_routes_refuse_companies_and_strangers(intake):
    company = await intake.company()
    for headers in ({}, company.auth, {"Authorization": "Bearer wrong"}):
        assert (await intake.client.get("/v1/companies", headers=headers)).status_code == 401
        assert (await intake.client.post("/v1/cohorts", json={}, headers=headers)).status_code == 401
        answer = await intake.client.post(f"/v1/companies/{company.company_id}/api-keys", headers=headers)
        assert answer.status_code == 401


async def test_company_routes_want_a_live_company_key(intake):
    for headers in ({}, ADMIN, {"Authorization": "Bearer mn_made-up"}, {"Authorization": "Basic abc"}):
        answer = await intake.client.get("/v1/participants", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"


async def test_an_api_key_is_shown_once_stored_as_a_hash_and_published_as_a_hash(intake):
    company = await intake.company()
    keys = (await intake.client.get(f"/v1/companies/{company.company_id}/api-keys", headers=ADMIN)).json()
    assert len(keys) == 1 and "api_key" not in keys[0] and company.key.startswith(keys[0]["key_prefix"])
    assert company.key.startswith("mn_")
    assert await intake.count("SELECT count(*) FROM api_keys WHERE key_hash = $1", company.key) == 0
    [issued] = [
        e for e in await intake.events("CompanyApiKeyIssued") if str(e.company_id) == company.company_id
    ]
    assert company.key not in issued.model_dump_json()
    from shared.http.auth import hash_key

    assert issued.key_hash == hash_key(company.key)


async def test_a_company_holds_several_keys_and_a_revoked_one_stops_working(intake):
    company = await intake.company()
    second = (
        await intake.client.post(
            f"/v1/companies/{company.company_id}/api-keys", json={"label": "HR system"}, headers=ADMIN
        )
    ).json()
    second_auth = {"Authorization": f"Bearer {second['api_key']}"}
    assert (await intake.client.get("/v1/participants", headers=second_auth)).status_code == 200
    assert (await intake.client.get("/v1/participants", headers=company.auth)).status_code == 200

    revoke = f"/v1/companies/{company.company_id}/api-keys/{second['key_id']}"
    revoked = await intake.client.delete(revoke, headers=ADMIN)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert (await intake.client.get("/v1/participants", headers=second_auth)).status_code == 401
    assert (await intake.client.get("/v1/participants", headers=company.auth)).status_code == 200
    assert (await intake.client.delete(revoke, headers=ADMIN)).status_code == 200
    events = [e for e in await intake.events("CompanyApiKeyRevoked") if str(e.key_id) == second["key_id"]]
    assert len(events) == 1


async def test_a_key_records_when_it_was_last_used(intake):
    company = await intake.company()
    [before] = (await intake.client.get(f"/v1/companies/{company.company_id}/api-keys", headers=ADMIN)).json()
    assert before["last_used_at"] is None
    await intake.client.get("/v1/participants", headers=company.auth)
    [after] = (await intake.client.get(f"/v1/companies/{company.company_id}/api-keys", headers=ADMIN)).json()
    assert after["last_used_at"] is not None


async def test_revoking_another_companys_key_is_not_found(intake):
    a, b = await intake.company(), await intake.company()
    [a_key] = (await intake.client.get(f"/v1/companies/{a.company_id}/api-keys", headers=ADMIN)).json()
    answer = await intake.client.delete(
        f"/v1/companies/{b.company_id}/api-keys/{a_key['key_id']}", headers=ADMIN
    )
    assert answer.status_code == 404
    assert (await intake.client.get("/v1/participants", headers=a.auth)).status_code == 200


async def test_company_b_gets_404_on_everything_of_company_a(intake):
    a, b = await intake.company(), await intake.company()
    cohort = await intake.cohort()
    registered = await intake.client.post(
        "/v1/participants", json=mentee(cohort, external_ref="E-1"), headers=a.auth
    )
    assert registered.status_code == 201
    theirs = registered.json()["participant_id"]
    before = await intake.state()

    assert (await intake.client.get(f"/v1/participants/{theirs}", headers=b.auth)).status_code == 404
    patched = await intake.client.patch(f"/v1/participants/{theirs}", json={"job_title": "x"}, headers=b.auth)
    assert patched.status_code == 404
    withdrawn = await intake.client.post(
        f"/v1/participants/{theirs}/withdrawal", json={"reason": "other"}, headers=b.auth
    )
    assert withdrawn.status_code == 404
    listed = (await intake.client.get("/v1/participants", headers=b.auth)).json()
    assert listed["items"] == []
    by_ref = (
        await intake.client.get("/v1/participants", params={"external_ref": "E-1"}, headers=b.auth)
    ).json()
    assert by_ref["items"] == []
    assert await intake.state() == before
    mine = await intake.client.get(f"/v1/participants/{theirs}", headers=a.auth)
    assert (
        mine.status_code == 200
        and mine.json()["status"] == "active"
        and mine.json()["job_title"] == "Team Lead"
    )


async def test_company_b_cannot_register_into_company_as_name(intake):
    a, b = await intake.company(), await intake.company()
    cohort = await intake.cohort()
    before = await intake.state()
    in_body = await intake.client.post(
        "/v1/participants", json={**mentee(cohort), "company_id": a.company_id}, headers=b.auth
    )
    assert in_body.status_code == 422
    assert in_body.json()["detail"][0]["loc"] == ["body", "company_id"]
    assert await intake.state() == before

    in_header = await intake.client.post(
        "/v1/participants", json=mentee(cohort), headers={**b.auth, "X-Company-Id": a.company_id}
    )
    assert in_header.status_code == 201 and in_header.json()["company_id"] == b.company_id
    imported = await intake.client.post(
        f"/v1/companies/{a.company_id}/cohorts/{cohort}/imports", json=[], headers=b.auth
    )
    assert imported.status_code == 401


async def test_the_same_external_ref_or_idempotency_key_in_two_companies_are_two_people(intake):
    a, b = await intake.company(), await intake.company()
    cohort = await intake.cohort()
    key = {"Idempotency-Key": "shared-key"}
    first = await intake.client.post(
        "/v1/participants", json=mentee(cohort, external_ref="HR-1"), headers={**a.auth, **key}
    )
    second = await intake.client.post(
        "/v1/participants", json=mentee(cohort, external_ref="HR-1"), headers={**b.auth, **key}
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["participant_id"] != second.json()["participant_id"]
    assert second.json()["company_id"] == b.company_id


async def test_companies_may_list_cohorts_but_only_staff_open_or_change_them(intake):
    company = await intake.company()
    cohort = await intake.cohort()
    listed = await intake.client.get("/v1/cohorts", headers=company.auth)
    assert listed.status_code == 200 and cohort in [c["cohort_id"] for c in listed.json()]
    assert (await intake.client.get(f"/v1/cohorts/{cohort}", headers=company.auth)).json()[
        "intake_state"
    ] == "open"
    changed = await intake.client.patch(f"/v1/cohorts/{cohort}", json={"name": "mine"}, headers=company.auth)
    assert changed.status_code == 401
    assert (await intake.client.get(f"/v1/cohorts/{uuid.uuid4()}", headers=company.auth)).status_code == 404


async def test_staff_see_a_companys_participants_with_names(intake):
    company = await intake.company()
    cohort = await intake.cohort()
    body = mentee(cohort)
    await intake.client.post("/v1/participants", json=body, headers=company.auth)
    page = (await intake.client.get(f"/v1/companies/{company.company_id}/participants", headers=ADMIN)).json()
    assert [p["name"] for p in page["items"]] == [body["name"]]
    missing = await intake.client.get(f"/v1/companies/{uuid.uuid4()}/participants", headers=ADMIN)
    assert missing.status_code == 404


async def test_the_api_documents_itself_and_publishes_its_vocabulary(intake):
    spec = (await intake.client.get("/openapi.json")).json()
    register = spec["paths"]["/v1/participants"]["post"]
    assert register["summary"] == "Register a mentor or mentee into a cohort"
    assert {"401", "409", "413", "422"} <= set(register["responses"])
    assert "text/csv" in spec["paths"]["/v1/cohorts/{cohort_id}/imports"]["post"]["requestBody"]["content"]
    assert spec["components"]["schemas"]["Registration"]["examples"]
    assert (await intake.client.get("/docs")).status_code == 200
    vocabulary = (await intake.client.get("/v1/vocabulary")).json()
    assert {"code": "strategy", "label": "Strategy and direction"} in vocabulary["themes"]
    assert "midtjylland" in vocabulary["regions"] and "da" in vocabulary["languages"]
    assert (
        "cohort_id" not in vocabulary["import_columns"] and "email" in vocabulary["required_import_columns"]
    )
