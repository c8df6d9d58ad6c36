"""Retry records do not grow without bound, and pruning them keeps a person registered once."""

from __future__ import annotations

import uuid

from services.intake.service_layer.housekeeping import idempotency_pruning
from tests.intake.payloads import mentee

DAY = 24 * 3600.0


async def register(intake, company, body, **headers):
    return await intake.client.post("/v1/participants", json=body, headers={**company.auth, **headers})


async def age(intake, company, days: int) -> None:
    async with intake.pool.acquire() as conn:
        await conn.execute(
            "UPDATE idempotency_keys SET created_at = created_at - make_interval(days => $2) WHERE company_id = $1",
            uuid.UUID(company.company_id),
            days,
        )


async def records(intake, company) -> dict[str, bool]:
    """scope -> whether its answer is still stored."""
    async with intake.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT scope, response IS NOT NULL AS kept FROM idempotency_keys WHERE company_id = $1",
            uuid.UUID(company.company_id),
        )
    return {row["scope"]: row["kept"] for row in rows}


async def prune(intake) -> None:
    async with intake.pool.acquire() as conn:
        await idempotency_pruning(DAY)(conn)


async def test_records_younger_than_the_window_stay_whole(intake):
    company, cohort = await intake.company(), await intake.cohort()
    body = mentee(cohort, external_ref=f"HR-{uuid.uuid4()}")
    await register(intake, company, body, **{"Idempotency-Key": f"k-{uuid.uuid4()}"})
    await prune(intake)
    assert await records(intake, company) == {"header": True, "external_ref": True}


async def test_an_old_idempotency_key_goes_and_an_old_external_ref_keeps_refusing_a_second_person(intake):
    company, cohort = await intake.company(), await intake.cohort()
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    by_key = mentee(cohort)
    by_ref = mentee(cohort, external_ref=f"HR-{uuid.uuid4()}")
    first_by_key = await register(intake, company, by_key, **key)
    first_by_ref = await register(intake, company, by_ref)
    assert first_by_key.status_code == first_by_ref.status_code == 201
    await age(intake, company, days=2)

    await prune(intake)

    assert await records(intake, company) == {"external_ref": False}
    participants, events, _ = await intake.state()
    again_by_ref = await register(intake, company, by_ref)
    assert again_by_ref.status_code == 201 and again_by_ref.headers["idempotent-replayed"] == "true"
    assert again_by_ref.json()["participant_id"] == first_by_ref.json()["participant_id"]
    again_by_key = await register(intake, company, by_key, **key)
    assert "idempotent-replayed" not in again_by_key.headers  # a new request after the window...
    assert again_by_key.status_code == 409  # ...refused: the person is registered already
    assert (await intake.state())[:2] == (participants, events)


async def test_the_pruning_runs_as_a_supervised_task_of_the_service(intake):
    assert intake.app.state.runtime.supervisor.health()["idempotency-pruning"] == "ok"
