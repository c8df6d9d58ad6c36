"""The projection of intake's events: safe to repeat, tolerant of order, remembers withdrawals."""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.matching.app import create_app, project
from services.matching.settings import MatchingSettings
from services.matching.store import cohorts as store
from shared.events import CohortOpened, ParticipantProfileUpdated
from tests.matching.support import cohort_opened, company, profile, registered, withdrawn
from tests.support.services import run_service


async def apply(app, *events) -> None:
    async with app.state.runtime.pool.acquire() as conn, conn.transaction():
        await project(conn, list(events))


async def row(app, participant_id):
    async with app.state.runtime.pool.acquire() as conn:
        return await store.participant(conn, participant_id)


async def test_events_in_any_order_and_repeated_leave_the_latest_truth(make_settings):
    app = create_app(await make_settings(MatchingSettings))
    cohort_id = uuid.uuid4()
    acme = company("Acme")
    anna = registered(cohort_id, acme.company_id, "mentee", "Anna")
    later = ParticipantProfileUpdated(
        **{**anna.model_dump(exclude={"event_id", "event_type", "occurred_at", "profile"})},
        profile=profile(leadership_level=3, languages=("en",)),
        occurred_at=anna.occurred_at + timedelta(minutes=5),
    )
    async with run_service(app):
        await apply(app, later)  # the update overtook the registration
        await apply(app, anna, anna)
        stored = await row(app, anna.participant_id)
        assert stored["profile"]["leadership_level"] == 3 and stored["profile"]["languages"] == ["en"]

        bo = registered(cohort_id, acme.company_id, "mentee", "Bo")
        await apply(app, withdrawn(bo))  # a withdrawal that overtook the registration
        await apply(app, bo)
        stored = await row(app, bo.participant_id)
        assert stored["withdrawn"] is True and stored["profile"] is not None

        async with app.state.runtime.pool.acquire() as conn:
            assert (await store.cohort(conn, cohort_id))["name"] is None
        opened: CohortOpened = cohort_opened(cohort_id, "2027")
        await apply(app, opened, opened)
        async with app.state.runtime.pool.acquire() as conn:
            assert (await store.cohort(conn, cohort_id))["name"] == "2027"
            people = await store.participants(conn, cohort_id)
        assert {p["display_name"] for p in people} == {"Anna", "Bo"}
