"""Intake's events leave through the outbox and the real broker and reach a consumer's projection."""

from __future__ import annotations

import uuid

from shared.settings import ServiceSettings
from tests.intake.payloads import mentee, row
from tests.intake.probe_consumer import consumer
from tests.support.services import eventually


async def seen(runtime, participant_id: str) -> tuple | None:
    async with runtime.pool.acquire() as conn:
        found = await conn.fetchrow(
            "SELECT leadership_level, withdrawn FROM seen_participants WHERE participant_id = $1",
            uuid.UUID(participant_id),
        )
    return tuple(found) if found else None


async def count(runtime, cohort_id: str) -> int:
    async with runtime.pool.acquire() as conn:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM seen_participants WHERE cohort_id = $1", uuid.UUID(cohort_id)
            )
        )


async def test_registration_update_and_withdrawal_reach_a_consumers_projection(intake, postgres):
    settings = ServiceSettings(
        **{
            **intake.settings.model_dump(include=set(ServiceSettings.model_fields)),
            "service_name": "intake_probe",
            "database_url": await postgres.create_database(f"probe_{uuid.uuid4().hex[:10]}"),
        }
    )
    company, cohort = await intake.company(), await intake.cohort()
    async with consumer(settings).running() as sink:
        answer = await intake.client.post("/v1/participants", json=mentee(cohort), headers=company.auth)
        pid = answer.json()["participant_id"]
        await eventually(lambda: seen(sink, pid), equals=(1, False), timeout_s=30)

        await intake.client.patch(
            f"/v1/participants/{pid}", json={"leadership_level": 2}, headers=company.auth
        )
        await intake.client.post(
            f"/v1/participants/{pid}/withdrawal", json={"reason": "no_time"}, headers=company.auth
        )
        await eventually(lambda: seen(sink, pid), equals=(2, True), timeout_s=30)

        imported = await intake.client.post(
            f"/v1/cohorts/{cohort}/imports", json=[row() for _ in range(25)], headers=company.auth
        )
        assert imported.json()["accepted"] == 25
        await eventually(lambda: count(sink, cohort), equals=26, timeout_s=30)
