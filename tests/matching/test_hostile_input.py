"""Ending a pair with what an attacker or a slip of the keyboard sends: a NUL in the reason, a date in
1970 or 2999. Each is a 422 naming the field, and the pair stays active (issue 16)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.matching.app import create_app
from services.matching.settings import MatchingSettings
from shared.settings import ServiceSettings
from tests.matching.support import cohort_opened, company, emit, fake_intake, registered, staff
from tests.support.services import eventually, run_service


async def test_an_end_outside_the_pair_s_life_or_with_a_nul_is_refused_naming_the_field(make_settings):
    settings = await make_settings(MatchingSettings)
    intake_settings = await make_settings(ServiceSettings, service_name="intake-fake")
    headers = staff(settings)
    cohort_id = uuid.uuid4()
    acme, birk = company("Acme"), company("Birk")
    anna = registered(cohort_id, acme.company_id, "mentee", "Anna")
    dorte = registered(cohort_id, birk.company_id, "mentor", "Dorte")
    async with fake_intake(intake_settings).running() as intake, run_service(create_app(settings)) as client:
        await emit(intake, [cohort_opened(cohort_id), acme, birk, anna, dorte])

        async def known() -> int:
            answer = await client.get(f"/v1/cohorts/{cohort_id}", headers=headers)
            return answer.json()["mentors"] if answer.status_code == 200 else 0

        await eventually(known, equals=1)
        run = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        approved = (await client.post(f"/v1/runs/{run['run_id']}/approve", headers=headers)).json()
        pair_id = approved["pairs"][0]["pair_id"]
        today = datetime.now(UTC).date()

        async def end(**body: object) -> tuple[int, list[tuple[tuple[str, ...], str]]]:
            answer = await client.post(
                f"/v1/pairs/{pair_id}/end", headers=headers, json={"reason": "x", **body}
            )
            detail = answer.json()["detail"]
            return answer.status_code, [(tuple(p["loc"]), p["type"]) for p in detail] if isinstance(
                detail, list
            ) else []

        assert await end(reason="no\x00chemistry") == (422, [(("body", "reason"), "nul_character")])
        assert await end(ended_on="1970-01-01") == (422, [(("body", "ended_on"), "before_pair_matched")])
        yesterday = (today - timedelta(days=1)).isoformat()
        assert await end(ended_on=yesterday) == (422, [(("body", "ended_on"), "before_pair_matched")])
        assert await end(ended_on="2999-12-31") == (422, [(("body", "ended_on"), "in_future")])
        in_two_days = (today + timedelta(days=2)).isoformat()
        assert await end(ended_on=in_two_days) == (422, [(("body", "ended_on"), "in_future")])
        active = (await client.get(f"/v1/cohorts/{cohort_id}/pairs?active_only=true", headers=headers)).json()
        assert [p["pair_id"] for p in active] == [pair_id]  # nothing changed

        ended = await client.post(
            f"/v1/pairs/{pair_id}/end",
            headers=headers,
            json={"reason": "moved", "ended_on": today.isoformat()},
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["ended_on"] == today.isoformat()
