"""Matching end to end: intake's events in, staff review over HTTP, PairMatched/PairEnded out,
through the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

from services.matching.app import create_app
from services.matching.settings import MatchingSettings
from shared.events import PairEnded, PairMatched
from shared.settings import ServiceSettings
from tests.matching.support import (
    MatchingTopic,
    cohort_opened,
    company,
    emit,
    fake_intake,
    registered,
    staff,
    withdrawn,
)
from tests.support.services import eventually, run_service


async def cohort_state(client, cohort_id, headers) -> dict:
    answer = await client.get(f"/v1/cohorts/{cohort_id}", headers=headers)
    return answer.json() if answer.status_code == 200 else {}


async def test_run_review_approve_end_and_rematch_through_the_broker(make_settings, kafka):
    matching_settings = await make_settings(MatchingSettings)
    intake_settings = await make_settings(ServiceSettings, service_name="intake-fake")
    headers = staff(matching_settings)
    cohort_id = uuid.uuid4()
    acme, birk, coda = company("Acme"), company("Birk"), company("Coda")
    anna = registered(cohort_id, acme.company_id, "mentee", "Anna", themes=("strategy", "change"))
    bo = registered(cohort_id, birk.company_id, "mentee", "Bo", languages=("en",))
    carl = registered(cohort_id, acme.company_id, "mentee", "Carl")
    dorte = registered(
        cohort_id, birk.company_id, "mentor", "Dorte", themes=("strategy", "change"), capacity=2
    )
    erik = registered(cohort_id, coda.company_id, "mentor", "Erik", languages=("da", "en"), capacity=1)
    names = {p.participant_id: p.display_name for p in (anna, bo, carl, dorte, erik)}

    async with (
        fake_intake(intake_settings).running() as intake,
        run_service(create_app(matching_settings)) as client,
        MatchingTopic(kafka, matching_settings) as topic,
    ):
        await emit(intake, [cohort_opened(cohort_id), acme, birk, coda, anna, bo, carl, dorte, erik])
        state = await eventually(lambda: cohort_state(client, cohort_id, headers))
        await eventually(
            lambda: cohort_state(client, cohort_id, headers), equals={**state, "mentees": 3, "mentors": 2}
        )

        # A run over the whole pool: Bo speaks only English, so only Erik fits him; Dorte takes the others.
        first = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        proposed = {
            (names[uuid.UUID(p["mentee_id"])], names[uuid.UUID(p["mentor_id"])]) for p in first["proposals"]
        }
        assert proposed == {("Anna", "Dorte"), ("Bo", "Erik"), ("Carl", "Dorte")}
        assert first["objective"]["matched"] == 3
        for p in first["proposals"]:
            assert abs(sum(p["explanation"].values()) - p["score"]) < 1e-9
            assert set(p["explanation"]) == {
                "themes",
                "level",
                "industry",
                "function",
                "experience",
                "meeting",
            }

        # Staff exclude Carl-Dorte and pin Anna-Erik: Erik is then full, and Dorte works at Bo's company.
        answer = await client.post(
            f"/v1/cohorts/{cohort_id}/exclusions",
            headers=headers,
            json={"mentee_id": str(carl.participant_id), "mentor_id": str(dorte.participant_id)},
        )
        assert answer.status_code == 201
        answer = await client.post(
            f"/v1/cohorts/{cohort_id}/pins",
            headers=headers,
            json={"mentee_id": str(anna.participant_id), "mentor_id": str(erik.participant_id)},
        )
        assert answer.status_code == 201
        second = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        proposed = {
            (names[uuid.UUID(p["mentee_id"])], names[uuid.UUID(p["mentor_id"])]) for p in second["proposals"]
        }
        assert proposed == {("Anna", "Erik")}
        assert [p["pinned"] for p in second["proposals"]] == [True]
        unmatched = {u["mentee_name"]: u["code"] for u in second["unmatched"]}
        assert unmatched == {"Bo": "same_company", "Carl": "excluded"}
        assert (await client.post(f"/v1/runs/{first['run_id']}/approve", headers=headers)).status_code == 409

        # Lift the pin and the exclusion, re-run, approve: one PairMatched per pair, and never twice.
        assert (
            await client.delete(f"/v1/cohorts/{cohort_id}/pins/{anna.participant_id}", headers=headers)
        ).status_code == 204
        assert (
            await client.delete(
                f"/v1/cohorts/{cohort_id}/exclusions/{carl.participant_id}/{dorte.participant_id}",
                headers=headers,
            )
        ).status_code == 204
        third = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        approved = (await client.post(f"/v1/runs/{third['run_id']}/approve", headers=headers)).json()
        assert approved["newly_matched"] == 3
        again = (await client.post(f"/v1/runs/{third['run_id']}/approve", headers=headers)).json()
        assert again["newly_matched"] == 0
        assert {p["pair_id"] for p in again["pairs"]} == {p["pair_id"] for p in approved["pairs"]}
        await eventually(lambda: topic.count("PairMatched"), equals=3, timeout_s=30)
        matched = [e for e in topic.events if isinstance(e, PairMatched)]
        assert {e.pair_id for e in matched} == {uuid.UUID(p["pair_id"]) for p in approved["pairs"]}
        carl_dorte = next(e for e in matched if e.mentee_id == carl.participant_id)
        assert (
            carl_dorte.mentor_company_id == birk.company_id
            and carl_dorte.mentee_company_id == acme.company_id
        )
        assert abs(sum(carl_dorte.explanation.values()) - carl_dorte.score) < 1e-9

        # Nobody is left to match: a run proposes nothing.
        empty = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        assert empty["proposals"] == [] and empty["unmatched"] == []

        # End Carl-Dorte as "do not match again": Dorte's place frees, Carl waits again.
        ended = await client.post(
            f"/v1/pairs/{carl_dorte.pair_id}/end",
            headers=headers,
            json={"reason": "no chemistry", "do_not_rematch": True},
        )
        assert ended.status_code == 200 and ended.json()["do_not_rematch"] is True
        assert (
            await client.post(
                f"/v1/pairs/{carl_dorte.pair_id}/end", headers=headers, json={"reason": "again"}
            )
        ).status_code == 409
        await eventually(lambda: topic.count("PairEnded"), equals=1, timeout_s=30)
        end_event = next(e for e in topic.events if isinstance(e, PairEnded))
        assert (end_event.pair_id, end_event.reason, end_event.do_not_rematch) == (
            carl_dorte.pair_id,
            "no chemistry",
            True,
        )
        state = await cohort_state(client, cohort_id, headers)
        assert (state["mentees_waiting"], state["free_mentor_places"]) == (1, 1)

        # A late mentee arrives. The re-run matches against the remaining capacity (Dorte's one place);
        # Carl is never proposed with Dorte again.
        fiona = registered(cohort_id, coda.company_id, "mentee", "Fiona")
        names[fiona.participant_id] = "Fiona"
        await emit(intake, [fiona])
        await eventually(
            lambda: cohort_state(client, cohort_id, headers),
            equals={**state, "mentees": 4, "mentees_waiting": 2},
        )
        late = (await client.post(f"/v1/cohorts/{cohort_id}/runs", headers=headers)).json()
        proposed = {
            (names[uuid.UUID(p["mentee_id"])], names[uuid.UUID(p["mentor_id"])]) for p in late["proposals"]
        }
        assert proposed == {("Fiona", "Dorte")}
        assert {u["mentee_name"]: u["code"] for u in late["unmatched"]} == {"Carl": "excluded"}
        rematched = (await client.post(f"/v1/runs/{late['run_id']}/approve", headers=headers)).json()
        assert rematched["newly_matched"] == 1
        await eventually(lambda: topic.count("PairMatched"), equals=4, timeout_s=30)

        # Dorte withdraws: her active pairs end with reason "withdrawn", and the mentees wait again.
        await emit(intake, [withdrawn(dorte)])
        await eventually(lambda: topic.count("PairEnded"), equals=3, timeout_s=30)
        withdrawal_ends = [e for e in topic.events if isinstance(e, PairEnded) and e.reason == "withdrawn"]
        assert {e.mentee_id for e in withdrawal_ends} == {anna.participant_id, fiona.participant_id}
        assert all(e.mentor_id == dorte.participant_id and not e.do_not_rematch for e in withdrawal_ends)
        state = await cohort_state(client, cohort_id, headers)
        assert (state["mentors"], state["active_pairs"], state["mentees_waiting"]) == (1, 1, 3)

        # Nothing more was published than the decisions above.
        await asyncio.sleep(1.0)
        assert await topic.count("PairMatched") == 4
        assert await topic.count("PairEnded") == 3
