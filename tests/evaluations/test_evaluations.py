"""Evaluations at sessions: staff open a mid-point and a closing one per cohort; each member answers once
from their own page; EvaluationSubmitted carries the scaled answers only; consented quotes are signed
by role and year alone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.events import CohortClosed, CohortOpened
from tests.evaluations.conftest import outbox_events
from tests.sessions.support import STAFF, bearer, matched_pair, publish, today
from tests.support.services import eventually

SCORES = {"expectations_met": 5, "learning": 4, "openness": 5, "programme": 3}


def window(kind: str = "closing", opens_in: int = 0, days: int = 14) -> dict[str, str]:
    opens = today() + timedelta(days=opens_in)
    return {
        "kind": kind,
        "opens_on": opens.isoformat(),
        "closes_on": (opens + timedelta(days=days)).isoformat(),
    }


async def named_cohort(sessions, pair, name: str) -> None:
    opened = CohortOpened(
        cohort_id=pair.cohort_id, name=name, intake_opens_on=today() - timedelta(days=200),
        intake_closes_on=today() - timedelta(days=100), producer="intake",
    )  # fmt: skip
    await publish(sessions.settings, [opened])


async def open_evaluation(sessions, cohort_id, kind: str = "closing", opens_in: int = 0) -> str:
    answer = await sessions.client.post(
        f"/v1/cohorts/{cohort_id}/evaluations", headers=STAFF, json=window(kind, opens_in)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["evaluation_id"]


async def test_staff_open_one_midpoint_and_one_closing_evaluation_per_cohort(sessions):
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    path = f"/v1/cohorts/{pair.cohort_id}/evaluations"
    await open_evaluation(sessions, pair.cohort_id, kind="midpoint")
    await open_evaluation(sessions, pair.cohort_id, kind="closing", opens_in=3)
    twice = await sessions.client.post(path, headers=STAFF, json=window("closing"))
    assert (twice.status_code, twice.json()["code"]) == (409, "evaluation_exists")
    backwards = await sessions.client.post(path, headers=STAFF, json={**window(), "closes_on": "2000-01-01"})
    assert backwards.status_code == 422
    member = await sessions.client.post(path, headers=bearer(tokens["mentor"]), json=window("midpoint"))
    assert member.status_code == 401

    events = [e for e in await outbox_events(sessions, "EvaluationOpened") if e.cohort_id == pair.cohort_id]
    assert sorted(e.kind for e in events) == ["closing", "midpoint"]
    listed = await sessions.client.get(
        f"/v1/pairs/{pair.pair_id}/evaluations", headers=bearer(tokens["mentee"])
    )
    states = {e["kind"]: (e["state"], e["answered"]) for e in listed.json()}
    assert states == {"midpoint": ("open", False), "closing": ("not_open_yet", False)}


async def test_each_member_answers_once_and_only_scores_travel(sessions):
    gave, improve = f"GAVE-{uuid.uuid4().hex}", f"IMPROVE-{uuid.uuid4().hex}"
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    evaluation = await open_evaluation(sessions, pair.cohort_id)
    path = f"/v1/pairs/{pair.pair_id}/evaluations/{evaluation}/answer"
    body = {"scores": SCORES, "gave": gave, "improve": improve}

    staff = await sessions.client.post(path, headers=STAFF, json=body)
    assert staff.status_code == 403
    first = await sessions.client.post(path, headers=bearer(tokens["mentor"]), json=body)
    assert first.status_code == 201, first.text
    assert gave not in first.text and first.json()["role"] == "mentor"
    second = await sessions.client.post(path, headers=bearer(tokens["mentor"]), json=body)
    assert (second.status_code, second.json()["code"]) == (409, "already_answered")
    assert (await sessions.client.post(path, headers=bearer(tokens["mentee"]), json=body)).status_code == 201
    bad = await sessions.client.post(
        path, headers=bearer(tokens["mentee"]), json={**body, "scores": {**SCORES, "learning": 6}}
    )
    assert bad.status_code == 422 and gave not in bad.text

    [mentor_event, mentee_event] = [
        e for e in await outbox_events(sessions, "EvaluationSubmitted") if e.pair_id == pair.pair_id
    ]
    assert (mentor_event.role, mentee_event.role) == ("mentor", "mentee")
    assert mentor_event.scores.model_dump() == SCORES and mentor_event.company_id == pair.mentor_company_id
    assert mentee_event.participant_id == pair.mentee_id and mentee_event.company_id == pair.mentee_company_id
    for event in (mentor_event, mentee_event):
        assert gave not in event.model_dump_json() and improve not in event.model_dump_json()
    counts = (await sessions.client.get(f"/v1/cohorts/{pair.cohort_id}/evaluations", headers=STAFF)).json()
    assert [(c["mentor_answers"], c["mentee_answers"]) for c in counts] == [(1, 1)]
    mine = (
        await sessions.client.get(f"/v1/pairs/{pair.pair_id}/evaluations", headers=bearer(tokens["mentor"]))
    ).json()
    assert mine[0]["answered"] is True


async def test_an_evaluation_not_open_or_in_a_closed_cohort_takes_no_answer(sessions):
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    later = await open_evaluation(sessions, pair.cohort_id, kind="closing", opens_in=5)
    now = await open_evaluation(sessions, pair.cohort_id, kind="midpoint")
    body = {"scores": SCORES}
    early = await sessions.client.post(
        f"/v1/pairs/{pair.pair_id}/evaluations/{later}/answer", headers=bearer(tokens["mentee"]), json=body
    )
    assert (early.status_code, early.json()["code"]) == (409, "evaluation_not_open")
    other_pair, other_tokens = await matched_pair(sessions.settings, sessions.client)
    foreign = await sessions.client.post(
        f"/v1/pairs/{other_pair.pair_id}/evaluations/{now}/answer",
        headers=bearer(other_tokens["mentee"]),
        json=body,
    )
    assert foreign.status_code == 404  # another cohort's evaluation

    await publish(
        sessions.settings, [CohortClosed(cohort_id=pair.cohort_id, closed_on=today(), producer="intake")]
    )

    async def answered_after_closing() -> tuple[int, str]:
        answer = await sessions.client.post(
            f"/v1/pairs/{pair.pair_id}/evaluations/{now}/answer", headers=bearer(tokens["mentee"]), json=body
        )
        return answer.status_code, answer.json().get("code", "")

    await eventually(answered_after_closing, equals=(409, "cohort_closed"), timeout_s=30)


async def test_only_consented_quotes_are_listed_signed_by_role_and_year(sessions):
    consented, private = f"QUOTE-{uuid.uuid4().hex} a year that changed me", f"PRIVATE-{uuid.uuid4().hex}"
    pair, tokens = await matched_pair(sessions.settings, sessions.client)
    await named_cohort(sessions, pair, "Mentorforløb 2027")
    evaluation = await open_evaluation(sessions, pair.cohort_id)
    path = f"/v1/pairs/{pair.pair_id}/evaluations/{evaluation}/answer"
    mentor = {"scores": SCORES, "quote": consented, "quote_consent": True}
    mentee = {"scores": SCORES, "quote": private, "quote_consent": False}
    consent_alone = await sessions.client.post(
        path, headers=bearer(tokens["mentee"]), json={"scores": SCORES, "quote_consent": True}
    )
    assert consent_alone.status_code == 422
    assert (
        await sessions.client.post(path, headers=bearer(tokens["mentor"]), json=mentor)
    ).status_code == 201
    assert (
        await sessions.client.post(path, headers=bearer(tokens["mentee"]), json=mentee)
    ).status_code == 201

    async def quotes() -> list:
        return (await sessions.client.get(f"/v1/cohorts/{pair.cohort_id}/quotes", headers=STAFF)).json()

    listed = await eventually(
        quotes, equals=[{"quote": consented, "signed": "Mentor 2027", "kind": "closing"}]
    )
    assert private not in str(listed)
    member = await sessions.client.get(
        f"/v1/cohorts/{pair.cohort_id}/quotes", headers=bearer(tokens["mentor"])
    )
    assert member.status_code == 401
