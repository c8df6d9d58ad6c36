"""The programme year's pure rules: the agreement's statements, evaluation windows and answers, a quote's
signature, and reporting's figures with the small-number rule."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.reporting.domain.year import agreement_figures, company_agreement_counts, evaluation_figures
from services.sessions.domain.agreement import Agreement, confirm_by, decide_record
from services.sessions.domain.errors import Conflict
from services.sessions.domain.evaluation import (
    CohortFacts,
    Evaluation,
    attribution,
    ensure_can_answer,
    year_of,
)

PAIR, COHORT = uuid.uuid4(), uuid.uuid4()
DAY = date(2027, 1, 20)


def wanted(role="mentee", frequency="monthly", terms="Harbour café") -> Agreement:
    return Agreement(PAIR, COHORT, frequency, terms, DAY, role)


def test_an_agreement_needs_a_first_session_and_each_statement_counts_up():
    with pytest.raises(Conflict) as refused:
        decide_record(None, wanted(), sessions_held=0, confirm=True)
    assert refused.value.code == "no_first_session"
    first = decide_record(None, wanted(), sessions_held=1, confirm=True)
    assert first is not None and (
        first.version,
        first.confirmed_by("mentee"),
        first.confirmed_by("mentor"),
    ) == (1, True, False)
    both = confirm_by(first, "mentor", date(2027, 1, 21))
    assert both is not None and both.confirmed_by_both and both.version == 2
    assert confirm_by(both, "mentor", date(2027, 1, 22)) is None  # once
    assert decide_record(both, wanted(), sessions_held=1, confirm=False) is None  # nothing changed
    changed = decide_record(
        both, wanted(role="mentor", frequency="every_two_weeks"), sessions_held=2, confirm=False
    )
    assert changed is not None and changed.version == 3 and not changed.confirmed_by("mentee")
    assert "Harbour" not in changed.event().model_dump_json()  # the terms never travel


def test_an_answer_is_taken_once_while_open_by_a_pair_not_ended_before_it():
    e = Evaluation(uuid.uuid4(), COHORT, "closing", date(2027, 11, 15), date(2027, 12, 2))
    ensure_can_answer(e, date(2027, 11, 15), False, False)
    ensure_can_answer(e, date(2027, 12, 2), False, False, pair_ended_on=date(2027, 11, 20))
    for today, closed, answered, ended, code in (
        (date(2027, 11, 14), False, False, None, "evaluation_not_open"),
        (date(2027, 12, 3), False, False, None, "evaluation_not_open"),
        (date(2027, 11, 20), True, False, None, "cohort_closed"),
        (date(2027, 11, 20), False, True, None, "already_answered"),
        (date(2027, 11, 20), False, False, date(2027, 6, 1), "pair_ended"),
    ):
        with pytest.raises(Conflict) as refused:
            ensure_can_answer(e, today, closed, answered, ended)
        assert refused.value.code == code


def test_a_quote_is_signed_by_role_and_the_programme_year_only():
    assert (
        attribution("mentor", year_of(CohortFacts("Mentorforløb 2027", None, None), date(2028, 1, 5)))
        == "Mentor 2027"
    )
    assert (
        attribution("mentee", year_of(CohortFacts("Autumn round", date(2026, 10, 1), None), date(2027, 6, 1)))
        == "Mentee 2026"
    )
    assert year_of(CohortFacts(None, None, None), date(2027, 6, 1)) == 2027
    assert year_of(CohortFacts("Cohort 120271", None, None), date(2025, 6, 1)) == 2025  # no year in the name


def test_company_figures_below_three_answers_are_hidden_and_companies_see_counts_only():
    evaluation = {
        "evaluation_id": 1,
        "kind": "midpoint",
        "opens_on": DAY,
        "closes_on": DAY,
        "mentors": 4,
        "mentees": 4,
    }
    big, small = uuid.uuid4(), uuid.uuid4()
    scores = {"expectations_met": 4, "learning": 2, "openness": 5, "programme": 3}
    answers = [{"evaluation_id": 1, "role": "mentor", "company_id": big, **scores}] * 3
    answers += [{"evaluation_id": 1, "role": "mentee", "company_id": small, **scores}]
    figures = evaluation_figures(evaluation, answers, {big: "Big", small: "Small"})
    assert figures["roles"]["mentor"] == {
        "members": 4,
        "answered": 3,
        "response_rate": 0.75,
        "averages": scores,
    }
    assert figures["companies"] == [
        {"company": "Big", "answered": 3, "averages": {k: float(v) for k, v in scores.items()}},
        {"company": "Small", "answered": "<3", "averages": None},
    ]
    pairs = [
        {"pair_id": i, "mentee_name": "a", "mentor_name": "b", "frequency": f, "recorded_on": DAY,
         "confirmed_by_mentor": c, "confirmed_by_mentee": c, "mentee_company_id": big, "mentor_company_id": small}
        for i, (f, c) in enumerate([("monthly", True), ("monthly", False), (None, None)])
    ]  # fmt: skip
    assert {k: v for k, v in agreement_figures(pairs).items() if k != "by_pair"} == {
        "pairs": 3, "with_agreement": 2, "confirmed_by_both": 1,
    }  # fmt: skip
    assert company_agreement_counts(pairs, big) == {"pairs": 3, "with_agreement": "<3"}
    assert company_agreement_counts(pairs, uuid.uuid4()) == {"pairs": 0, "with_agreement": 0}
