"""A pair's agreement at sessions: recorded by a member at or after the first session, confirmed by each
member from their own page; AgreementRecorded carries no terms; staff see which pairs have one."""

from __future__ import annotations

import uuid
from datetime import date

from shared.events import CohortClosed
from tests.evaluations.conftest import outbox_events
from tests.sessions.support import STAFF, bearer, matched_pair, publish, session_body
from tests.support.services import eventually


async def test_the_agreement_waits_for_the_first_session(sessions):
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    path = f"/v1/pairs/{pair.pair_id}/agreement"
    early = await sessions.client.put(path, headers=bearer(tokens["mentee"]), json={"frequency": "monthly"})
    assert (early.status_code, early.json()["code"]) == (409, "no_first_session")
    held = await sessions.client.post(
        f"/v1/pairs/{pair.pair_id}/sessions", headers=bearer(tokens["mentee"]), json=session_body()
    )
    assert held.status_code == 201
    recorded = await sessions.client.put(
        path, headers=bearer(tokens["mentee"]), json={"frequency": "monthly"}
    )
    assert recorded.status_code == 200, recorded.text


async def test_both_members_confirm_from_their_own_page_and_the_event_never_carries_the_terms(sessions):
    terms = f"TERMS-{uuid.uuid4().hex} we meet at the harbour"
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    mentee, mentor = bearer(tokens["mentee"]), bearer(tokens["mentor"])
    await sessions.client.post(f"/v1/pairs/{pair.pair_id}/sessions", headers=mentor, json=session_body())
    path = f"/v1/pairs/{pair.pair_id}/agreement"

    body = {"frequency": "monthly", "terms": terms, "confidentiality_confirmed": True}
    recorded = (await sessions.client.put(path, headers=mentee, json=body)).json()
    assert (recorded["confirmed_by_mentee"], recorded["confirmed_by_mentor"]) == (True, False)
    assert recorded["terms"] == terms and recorded["recorded_by"] == "mentee"

    mine = (await sessions.client.get(path, headers=mentor)).json()
    assert mine["terms"] == terms  # both members read the terms
    staff_view = await sessions.client.get(path, headers=STAFF)
    assert (
        staff_view.status_code == 200 and terms not in staff_view.text and staff_view.json()["terms"] is None
    )

    confirmed = await sessions.client.post(f"{path}/confirmation", headers=mentor)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["confirmed_by_mentor"] and confirmed.json()["confirmed_by_mentee"]
    again = await sessions.client.post(f"{path}/confirmation", headers=mentor)
    assert again.json()["version"] == confirmed.json()["version"]  # once is enough: no new statement
    not_staff = await sessions.client.post(f"{path}/confirmation", headers=STAFF)
    assert not_staff.status_code == 403

    events = [e for e in await outbox_events(sessions, "AgreementRecorded") if e.pair_id == pair.pair_id]
    assert [(e.version, e.confirmed_by_mentee, e.confirmed_by_mentor) for e in events] == [
        (1, True, False),
        (2, True, True),
    ]
    assert all(terms not in e.model_dump_json() for e in events)
    assert events[-1].mentor_confirmed_on == date.fromisoformat(confirmed.json()["mentor_confirmed_on"])

    overview = (await sessions.client.get(f"/v1/cohorts/{pair.cohort_id}/agreements", headers=STAFF)).json()
    assert [row["pair_id"] for row in overview] == [str(pair.pair_id)] and "terms" not in overview[0]

    changed = await sessions.client.put(
        path, headers=mentor, json={"frequency": "every_two_weeks", "terms": terms}
    )
    assert (changed.json()["confirmed_by_mentor"], changed.json()["confirmed_by_mentee"]) == (False, False)


async def test_a_closed_cohort_takes_no_new_sessions_or_agreements(sessions):
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    mentee = bearer(tokens["mentee"])
    await sessions.client.post(f"/v1/pairs/{pair.pair_id}/sessions", headers=mentee, json=session_body())
    await publish(
        sessions.settings, [CohortClosed(cohort_id=pair.cohort_id, closed_on=date.today(), producer="intake")]
    )

    async def refused() -> tuple[int, str]:
        answer = await sessions.client.put(
            f"/v1/pairs/{pair.pair_id}/agreement", headers=mentee, json={"frequency": "monthly"}
        )
        return answer.status_code, answer.json().get("code", "")

    await eventually(refused, equals=(409, "cohort_closed"), timeout_s=30)
    late = await sessions.client.post(
        f"/v1/pairs/{pair.pair_id}/sessions", headers=mentee, json=session_body(start_time="15:00")
    )
    assert (late.status_code, late.json()["code"]) == (409, "cohort_closed")
    readable = await sessions.client.get(f"/v1/pairs/{pair.pair_id}/sessions", headers=mentee)
    assert readable.status_code == 200 and len(readable.json()) == 1
