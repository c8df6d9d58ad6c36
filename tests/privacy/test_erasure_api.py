"""Intake's erase use case: staff only, one person or many in one transaction, scrubbed in intake,
ParticipantErased told to everyone, the key destroyed after intake commits, and retried until it is."""

from __future__ import annotations

import uuid

import asyncpg

from services.intake.service_layer import erasure
from shared.events import ParticipantErased, ParticipantRegistered
from shared.privacy import ERASED, is_sealed
from shared.privacy.vault import Vault
from tests.intake.conftest import ADMIN
from tests.intake.payloads import mentee

ERASED_ROW = {
    "name": ERASED,
    "email": "",
    "job_title": "",
    "themes_free_text": "",
    "expectations": "",
    "external_ref": None,
}


async def register(intake, company, cohort, **overrides) -> str:
    body = mentee(cohort, **overrides)
    answer = await intake.client.post(
        "/v1/participants", json=body, headers={**company.auth, "Idempotency-Key": uuid.uuid4().hex}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["participant_id"]


async def vault_key(intake, participant_id: str) -> asyncpg.Record | None:
    conn = await asyncpg.connect(intake.settings.vault_database_url)
    try:
        return await conn.fetchrow(
            "SELECT key, destroyed_at FROM vault_keys WHERE subject = $1", uuid.UUID(participant_id)
        )
    finally:
        await conn.close()


async def test_erasing_a_person_scrubs_intake_tells_everyone_and_destroys_their_key(intake):
    company, cohort = await intake.company(), await intake.cohort()
    pid = await register(intake, company, cohort, external_ref=f"HR-{uuid.uuid4().hex[:6]}")
    (registered,) = [
        e for e in await intake.events("ParticipantRegistered", opened=False) if str(e.participant_id) == pid
    ]
    assert isinstance(registered, ParticipantRegistered) and is_sealed(registered.display_name)
    key = await vault_key(intake, pid)
    assert key is not None and key["key"] is not None and key["destroyed_at"] is None
    assert (
        await intake.count("SELECT count(*) FROM idempotency_keys WHERE participant_id = $1", uuid.UUID(pid))
        == 2
    )

    erased = await intake.client.post(f"/v1/participants/{pid}/erasure", headers=ADMIN)
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"participant_id": pid, "status": "erased", "keys": "destroyed"}

    seen = (await intake.client.get(f"/v1/participants/{pid}", headers=company.auth)).json()
    assert seen["status"] == "erased" and {k: seen[k] for k in ERASED_ROW} == ERASED_ROW
    assert seen["withdrawal_note"] == "" and seen["cohort_id"] == cohort and seen["role"] == "mentee"
    assert (
        await intake.count("SELECT count(*) FROM idempotency_keys WHERE participant_id = $1", uuid.UUID(pid))
        == 0
    )
    assert await intake.count("SELECT count(*) FROM erasures_pending") == 0
    key = await vault_key(intake, pid)
    assert key is not None and key["key"] is None and key["destroyed_at"] is not None
    told = [e for e in await intake.events("ParticipantErased") if str(e.participant_id) == pid]
    assert len(told) == 1 and isinstance(told[0], ParticipantErased)
    assert told[0].model_dump(exclude={"event_id", "occurred_at", "correlation_id", "causation_id"}) == {
        "participant_id": uuid.UUID(pid), "company_id": uuid.UUID(company.company_id), "cohort_id": uuid.UUID(cohort),
        "role": "mentee", "event_type": "ParticipantErased", "schema_version": 1, "producer": "intake",
    }  # fmt: skip

    again = await intake.client.post(f"/v1/participants/{pid}/erasure", headers=ADMIN)
    assert again.status_code == 200 and again.json()["status"] == "erased"
    assert len([e for e in await intake.events("ParticipantErased") if str(e.participant_id) == pid]) == 1
    changed = await intake.client.patch(
        f"/v1/participants/{pid}", json={"job_title": "CEO"}, headers=company.auth
    )
    assert changed.status_code == 409 and changed.json()["code"] == "participant_erased"
    withdrawn = await intake.client.post(
        f"/v1/participants/{pid}/withdrawal", json={"reason": "other"}, headers=company.auth
    )
    assert withdrawn.status_code == 409 and withdrawn.json()["code"] == "participant_erased"
    listed = await intake.client.get(
        f"/v1/participants?status=erased&cohort_id={cohort}", headers=company.auth
    )
    assert [p["participant_id"] for p in listed.json()["items"]] == [pid]


async def test_only_staff_erase_and_an_unknown_person_is_a_404(intake):
    company, cohort = await intake.company(), await intake.cohort()
    pid = await register(intake, company, cohort)
    refused = await intake.client.post(f"/v1/participants/{pid}/erasure", headers=company.auth)
    assert refused.status_code == 401
    bulk = await intake.client.post("/v1/erasures", json={"participant_ids": [pid]}, headers=company.auth)
    assert bulk.status_code == 401
    assert (await intake.client.get(f"/v1/participants/{pid}", headers=company.auth)).json()[
        "status"
    ] == "active"
    unknown = await intake.client.post(f"/v1/participants/{uuid.uuid4()}/erasure", headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json()["code"] == "participant_not_found"


async def test_many_people_are_erased_in_one_request_and_unknown_ids_are_listed(intake):
    company, cohort = await intake.company(), await intake.cohort()
    first, second, third = [await register(intake, company, cohort) for _ in range(3)]
    unknown = str(uuid.uuid4())
    answer = await intake.client.post(
        "/v1/erasures", json={"participant_ids": [first, second, unknown]}, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"erased": 2, "already_erased": 0, "not_found": [unknown], "keys": "destroyed"}
    again = await intake.client.post("/v1/erasures", json={"participant_ids": [second, third]}, headers=ADMIN)
    assert again.json() == {"erased": 1, "already_erased": 1, "not_found": [], "keys": "destroyed"}
    for pid in (first, second, third):
        seen = (await intake.client.get(f"/v1/participants/{pid}", headers=company.auth)).json()
        assert {k: seen[k] for k in ERASED_ROW} == ERASED_ROW
    empty = await intake.client.post("/v1/erasures", json={"participant_ids": []}, headers=ADMIN)
    assert empty.status_code == 422


async def test_a_vault_that_fails_leaves_the_erasure_pending_until_a_retry_destroys_the_key(intake):
    company, cohort = await intake.company(), await intake.cohort()
    pid = await register(intake, company, cohort)
    away = Vault(
        intake.settings.model_copy(update={"vault_database_url": "postgresql://nobody@127.0.0.1:1/none"})
    )
    report = await erasure.erase_many(intake.pool, away, [uuid.UUID(pid)])
    assert report["erased"] == 1 and report["keys"] == "pending"
    # intake's part is done and told: scrubbed, ParticipantErased in the outbox, the key listed as pending
    seen = (await intake.client.get(f"/v1/participants/{pid}", headers=company.auth)).json()
    assert seen["status"] == "erased" and seen["name"] == ERASED
    assert [str(e.participant_id) for e in await intake.events("ParticipantErased")].count(pid) == 1
    assert (
        await intake.count("SELECT count(*) FROM erasures_pending WHERE participant_id = $1", uuid.UUID(pid))
        == 1
    )
    key = await vault_key(intake, pid)
    assert key is not None and key["key"] is not None  # not destroyed yet

    vault = intake.app.state.runtime.vault
    async with intake.pool.acquire() as conn:
        assert await erasure.key_destruction(away)(conn) == 1  # still away: still pending
        assert await erasure.key_destruction(vault)(conn) == 0  # the periodic retry finishes it
    assert await intake.count("SELECT count(*) FROM erasures_pending") == 0
    key = await vault_key(intake, pid)
    assert key is not None and key["key"] is None and key["destroyed_at"] is not None
    await away.stop()


async def test_a_bulk_request_takes_up_to_10000_ids_beyond_the_usual_body_limit(intake):
    company, cohort = await intake.company(), await intake.cohort()
    known = await register(intake, company, cohort)
    many = [known, *(str(uuid.uuid4()) for _ in range(2_999))]
    body = {"participant_ids": many}
    assert len(str(body)) > intake.settings.max_body_bytes  # a body other routes refuse with 413
    answer = await intake.client.post("/v1/erasures", json=body, headers=ADMIN)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.json()["erased"] == 1 and len(answer.json()["not_found"]) == 2_999
    too_many = await intake.client.post(
        "/v1/erasures", json={"participant_ids": [str(uuid.uuid4()) for _ in range(10_001)]}, headers=ADMIN
    )
    assert too_many.status_code == 422
