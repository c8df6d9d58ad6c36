"""The solver on hand-written cohorts: explanations, staff decisions, and why someone is unmatched."""

from __future__ import annotations

import pytest

from services.matching.domain.model import Instance, MatchSettings, Weights
from services.matching.domain.solver import InvalidInstance, pin_problems, solve
from tests.matching.people import mentee, mentor


def reasons(instance: Instance) -> dict[str, str]:
    return {u.mentee: u.code for u in solve(instance).unmatched}


def test_the_explanation_shows_each_criterion_and_adds_up_to_the_score():
    anna = mentee("anna", themes={"strategy", "change", "people"}, level=2, years=5, industry="energy")
    dorte = mentor(
        "dorte", themes={"Strategy", "change"}, level=5, years=10, industry="pharma", region="south"
    )
    pair = solve(Instance((anna,), (dorte,))).pairs[0]
    assert pair.explanation == {
        "themes": 23.3333,  # 2 of 3 themes: 35 * 2/3
        "level": 10.0,  # three levels above: one outside the 1-2 band costs half of 20
        "industry": 10.0,  # a different industry, the default preference
        "function": 10.0,
        "experience": 5.0,  # five more years of 10
        "meeting": 11.25,  # both "either", different regions: 0.75 of 15
    }
    assert pair.score == pytest.approx(sum(pair.explanation.values()), abs=1e-9)
    assert pair.score == 69.5833


def test_weights_and_the_industry_preference_are_the_cohorts_own():
    anna, dorte = mentee("anna"), mentor("dorte", industry="energy")
    settings = MatchSettings(industry_preference="same")
    weights = Weights(themes=0, level=0, industry=50, function=0, experience=0, meeting=0)
    pair = solve(Instance((anna,), (dorte,), weights=weights, settings=settings)).pairs[0]
    assert pair.score == 50.0
    assert pair.explanation["industry"] == 50.0


def test_the_whole_pool_is_matched_at_once_not_first_come_first_served():
    # First come, first served would give anna the best mentor (dorte) and leave bo unmatched.
    anna = mentee("anna", languages={"da", "en"})
    bo = mentee("bo", languages={"en"})
    dorte = mentor("dorte", languages={"en"})
    erik = mentor("erik", languages={"da"}, themes={"finance"})
    result = solve(Instance((anna, bo), (dorte, erik)))
    assert {(p.mentee, p.mentor) for p in result.pairs} == {("anna", "erik"), ("bo", "dorte")}


def test_pins_are_kept_and_exclusions_respected_even_against_the_score():
    anna, bo = mentee("anna"), mentee("bo")
    best, other = mentor("best", themes={"strategy"}), mentor("other", themes=set())
    free = solve(Instance((anna, bo), (best, other)))
    assert len(free.pairs) == 2
    pinned = solve(Instance((anna, bo), (best, other), pinned=(("anna", "other"),)))
    assert ("anna", "other") in {(p.mentee, p.mentor) for p in pinned.pairs}
    assert [p.pinned for p in pinned.pairs if p.mentee == "anna"] == [True]
    excluded = solve(Instance((anna,), (best, other), excluded=frozenset({("anna", "best")})))
    assert [(p.mentee, p.mentor) for p in excluded.pairs] == [("anna", "other")]


def test_a_pair_ended_as_do_not_match_again_is_never_proposed():
    result = solve(
        Instance((mentee("anna"),), (mentor("dorte"),), never_again=frozenset({("anna", "dorte")}))
    )
    assert result.pairs == ()
    assert result.unmatched[0].code == "excluded"


@pytest.mark.parametrize(
    ("anna", "mentors", "code"),
    [
        (mentee("anna"), (), "no_mentors"),
        (mentee("anna"), (mentor("d", capacity=0),), "no_free_capacity"),
        (mentee("anna"), (mentor("d", company="acme"),), "same_company"),
        (mentee("anna", avoid_companies={"birk"}), (mentor("d"),), "avoided_company"),
        (mentee("anna"), (mentor("d", avoid_companies={"acme"}),), "avoided_company"),
        (mentee("anna", languages={"en"}), (mentor("d", languages={"da"}),), "no_shared_language"),
        (
            mentee("anna", meeting="in_person"),
            (mentor("d", meeting="in_person", region="south"),),
            "in_person_other_region",
        ),
    ],
)
def test_the_reason_names_the_rule_that_leaves_no_mentor(anna, mentors, code):
    assert reasons(Instance((anna,), mentors)) == {"anna": code}


def test_no_shared_language_is_said_in_the_coordinators_words():
    result = solve(Instance((mentee("anna", languages={"en"}),), (mentor("d"),)))
    assert result.unmatched[0].reason == "no mentor with free capacity shares a language"


def test_a_mentee_who_fits_but_finds_every_mentor_full_is_told_so():
    result = solve(Instance((mentee("anna"), mentee("bo")), (mentor("d"),)))
    assert len(result.pairs) == 1
    assert result.unmatched[0].code == "capacity_taken"
    assert "1 mentor who fit" in result.unmatched[0].reason


def test_in_person_only_on_one_side_may_meet_someone_from_another_region():
    result = solve(Instance((mentee("anna", meeting="in_person"),), (mentor("d", region="south"),)))
    assert len(result.pairs) == 1


def test_languages_and_regions_compare_without_regard_to_case():
    anna = mentee("anna", languages={" EN "}, meeting="in_person", region="North")
    dorte = mentor("d", languages={"en"}, meeting="in_person", region="north ")
    assert len(solve(Instance((anna,), (dorte,))).pairs) == 1


@pytest.mark.parametrize(
    ("pins", "problem"),
    [
        ((("anna", "nobody"),), "no mentor nobody"),
        ((("anna", "same"),), "same company"),
        ((("anna", "d"), ("anna", "d")), "pinned twice"),
        ((("anna", "d"), ("bo", "d")), "capacity 1"),
        ((("anna", "x"),), "excluded"),
    ],
)
def test_pins_that_cannot_hold_are_refused_with_the_reason(pins, problem):
    instance = Instance(
        (mentee("anna"), mentee("bo")),
        (mentor("d"), mentor("same", company="acme"), mentor("x")),
        excluded=frozenset({("anna", "x")}),
        pinned=pins,
    )
    assert any(problem in p for p in pin_problems(instance))
    with pytest.raises(InvalidInstance, match=problem):
        solve(instance)


def test_the_large_cohort_path_says_it_is_not_proven_and_still_matches_everyone_it_can():
    mentees = tuple(mentee(f"e{k}", themes={f"t{k % 3}"}) for k in range(12))
    mentors = tuple(mentor(f"r{k}", capacity=1 + k % 3, themes={f"t{k % 4}"}) for k in range(6))
    big = solve(Instance(mentees, mentors), exact_pair_limit=0, candidates_per_mentee=2)
    exact = solve(Instance(mentees, mentors))
    assert big.report.method == "candidates" and not big.report.proven_optimal
    assert exact.report.method == "exact" and exact.report.proven_optimal
    assert big.matched == exact.matched == 12
    assert big.total_score <= exact.total_score
