"""Reporting of the programme year, fed real events through the broker: the timeline, which pairs have
an agreement, evaluation response rates and averages per role, company aggregates with the "<3" rule,
and nothing of the evaluations in a partner company's view."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.reporting.app import create_app
from shared.events import (
    AgreementRecorded,
    CohortClosed,
    CohortOpened,
    CompanyApiKeyIssued,
    CompanyRegistered,
    EvaluationOpened,
    EvaluationScores,
    EvaluationSubmitted,
    PairMatched,
)
from shared.http.auth import hash_key, new_key
from tests.reporting.support import ADMIN, auth, publish, reporting_settings, until_applied
from tests.support.services import run_service

COHORT = uuid.uuid4()
BIG, SMALL = uuid.uuid4(), uuid.uuid4()  # BIG's people answer 3 times, SMALL's twice
BIG_KEY, SMALL_KEY = new_key("mnc"), new_key("mnc")


def programme_year() -> tuple[list, list[PairMatched], uuid.UUID]:
    at = datetime(2027, 1, 10, 9, tzinfo=UTC)
    envelope = {"occurred_at": at}
    events: list = [
        CompanyRegistered(company_id=BIG, name="Big A/S", producer="intake", **envelope),
        CompanyRegistered(company_id=SMALL, name="Small ApS", producer="intake", **envelope),
        CompanyApiKeyIssued(company_id=BIG, key_id=uuid.uuid4(), key_hash=hash_key(BIG_KEY), producer="intake"),
        CompanyApiKeyIssued(company_id=SMALL, key_id=uuid.uuid4(), key_hash=hash_key(SMALL_KEY), producer="intake"),
        CohortOpened(
            cohort_id=COHORT, name="2027", intake_opens_on=date(2026, 9, 1), intake_closes_on=date(2026, 11, 30),
            kickoff_on=date(2027, 1, 14), midpoint_on=date(2027, 6, 15), closing_on=date(2027, 12, 2),
            producer="intake", **envelope,
        ),
    ]  # fmt: skip
    # Three pairs: BIG mentors SMALL mentees twice, SMALL mentors a BIG mentee once.
    companies = [(BIG, SMALL), (BIG, SMALL), (SMALL, BIG)]
    pairs = [
        PairMatched(
            pair_id=uuid.uuid4(),
            cohort_id=COHORT,
            mentee_id=uuid.uuid4(),
            mentor_id=uuid.uuid4(),
            mentor_company_id=mentor_company,
            mentee_company_id=mentee_company,
            score=0.8,
            producer="matching",
            **envelope,
        )  # fmt: skip
        for mentor_company, mentee_company in companies
    ]
    events += pairs
    events += [
        AgreementRecorded(
            pair_id=pairs[0].pair_id, cohort_id=COHORT, frequency="monthly", recorded_on=date(2027, 1, 20),
            recorded_by="mentee", confirmed_by_mentee=True, version=1, producer="sessions",
        ),
        AgreementRecorded(
            pair_id=pairs[0].pair_id, cohort_id=COHORT, frequency="monthly", recorded_on=date(2027, 1, 20),
            recorded_by="mentee", confirmed_by_mentee=True, confirmed_by_mentor=True, version=2, producer="sessions",
        ),
    ]  # fmt: skip
    evaluation = uuid.uuid4()
    events.append(
        EvaluationOpened(
            evaluation_id=evaluation,
            cohort_id=COHORT,
            kind="midpoint",
            opens_on=date(2027, 6, 1),
            closes_on=date(2027, 6, 20),
            producer="sessions",
        )  # fmt: skip
    )

    def answer(pair: PairMatched, role: str, score: int) -> EvaluationSubmitted:
        return EvaluationSubmitted(
            evaluation_id=evaluation, cohort_id=COHORT, kind="midpoint", pair_id=pair.pair_id,
            participant_id=pair.mentor_id if role == "mentor" else pair.mentee_id, role=role,
            company_id=pair.mentor_company_id if role == "mentor" else pair.mentee_company_id,
            scores=EvaluationScores(expectations_met=score, learning=score, openness=5, programme=4),
            submitted_on=date(2027, 6, 5), producer="sessions",
        )  # fmt: skip

    # Mentors: both BIG mentors (5 and 3). Mentees: the two SMALL mentees (4, 2) and the BIG mentee (4).
    events += [
        answer(pairs[0], "mentor", 5),
        answer(pairs[1], "mentor", 3),
        answer(pairs[0], "mentee", 4),
        answer(pairs[1], "mentee", 2),
        answer(pairs[2], "mentee", 4),
    ]
    events.append(CohortClosed(cohort_id=COHORT, closed_on=date(2027, 12, 3), producer="intake"))
    return events, pairs, evaluation


async def test_the_year_for_staff_and_for_a_partner_company(postgres, kafka):
    settings = await reporting_settings(postgres, kafka)
    events, pairs, evaluation = programme_year()
    app = create_app(settings)
    async with run_service(app) as client:
        await publish(settings, events)
        await until_applied(app.state.runtime.pool, events)
        staff = await client.get(f"/api/programme/cohorts/{COHORT}/year", headers=auth(ADMIN))
        big = await client.get(f"/api/company/cohorts/{COHORT}/year", headers=auth(BIG_KEY))
        small = await client.get(f"/api/company/cohorts/{COHORT}/year", headers=auth(SMALL_KEY))
        company_to_staff = await client.get(f"/api/programme/cohorts/{COHORT}/year", headers=auth(BIG_KEY))
        listed = await client.get("/api/cohorts", headers=auth(ADMIN))
        page = await client.get("/dashboard", headers=auth(ADMIN))

    assert staff.status_code == 200, staff.text
    year = staff.json()
    assert year["timeline"] == {
        "cohort_id": str(COHORT), "name": "2027", "kickoff_on": "2027-01-14", "midpoint_on": "2027-06-15",
        "closing_on": "2027-12-02", "closed_on": "2027-12-03",
    }  # fmt: skip
    [cohort] = [c for c in listed.json() if c["cohort_id"] == str(COHORT)]
    assert (cohort["kickoff_on"], cohort["closed_on"]) == ("2027-01-14", "2027-12-03")
    assert page.status_code == 200 and "kick-off 2027-01-14" in page.text and "closed 2027-12-03" in page.text

    agreements = year["agreements"]
    assert (agreements["pairs"], agreements["with_agreement"], agreements["confirmed_by_both"]) == (3, 1, 1)
    with_one = [p["pair_id"] for p in agreements["by_pair"] if p["has_agreement"]]
    assert with_one == [str(pairs[0].pair_id)]

    [midpoint] = year["evaluations"]
    assert midpoint["evaluation_id"] == str(evaluation)
    mentors, mentees = midpoint["roles"]["mentor"], midpoint["roles"]["mentee"]
    assert (mentors["members"], mentors["answered"], mentors["response_rate"]) == (3, 2, 0.67)
    assert (mentees["members"], mentees["answered"], mentees["response_rate"]) == (3, 3, 1.0)
    assert mentors["averages"] == {
        "expectations_met": 4.0,
        "learning": 4.0,
        "openness": 5.0,
        "programme": 4.0,
    }
    assert mentees["averages"]["expectations_met"] == 3.3
    by_company = {c["company"]: c for c in midpoint["companies"]}
    assert (
        by_company["Big A/S"]["answered"] == 3
        and by_company["Big A/S"]["averages"]["expectations_met"] == 4.0
    )
    assert by_company["Small ApS"] == {"company": "Small ApS", "answered": "<3", "averages": None}

    # A partner company: the timeline and its own pairs' agreement count, never an evaluation answer.
    assert company_to_staff.status_code == 403
    assert big.status_code == 200 and small.status_code == 200
    assert big.json()["agreements"] == {"pairs": 3, "with_agreement": "<3"}
    assert set(big.json()) == {"timeline", "agreements"}
    for text in (big.text, small.text):
        assert "evaluation" not in text and "averages" not in text and "expectations_met" not in text
