"""The solver on random small cohorts: hard rules hold, pins hold, and the result is the optimum."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings

from services.matching.domain.encoding import encode
from services.matching.domain.model import Instance, Result
from services.matching.domain.rules import blocked_pairs, feasible_block, pair_rules_hold
from services.matching.domain.solver import solve
from tests.matching.instances import allowed, brute_force_best, instances, result_objective

MODEST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid(instance: Instance, result: Result) -> None:
    mentees = {m.id: m for m in instance.mentees}
    mentors = {m.id: m for m in instance.mentors}
    pinned = set(instance.pinned)
    load = Counter(p.mentor for p in result.pairs)
    matched = [p.mentee for p in result.pairs]
    assert len(matched) == len(set(matched)), "a mentee appears in two pairs"
    for pair in result.pairs:
        if (pair.mentee, pair.mentor) not in pinned:
            assert allowed(instance, mentees[pair.mentee], mentors[pair.mentor]), pair
        assert pair.pinned == ((pair.mentee, pair.mentor) in pinned)
        assert (pair.mentee, pair.mentor) not in instance.excluded | instance.never_again
    for mentor, count in load.items():
        assert count <= mentors[mentor].capacity, f"{mentor} over capacity"
    assert pinned <= {(p.mentee, p.mentor) for p in result.pairs}, "a pin was dropped"
    assert set(matched) | {u.mentee for u in result.unmatched} == set(mentees)
    assert not set(matched) & {u.mentee for u in result.unmatched}
    for pair in result.pairs:
        assert math.isclose(sum(pair.explanation.values()), pair.score, abs_tol=1e-9)


@MODEST
@given(instances())
def test_hard_rules_are_never_broken_and_pins_are_kept(instance):
    assert_valid(instance, solve(instance))


@MODEST
@given(instances(min_mentees=2, min_mentors=1))
def test_the_result_is_the_brute_force_optimum_of_the_objective(instance):
    result = solve(instance)
    assert result.report.proven_optimal
    assert result_objective(instance, result) == brute_force_best(instance)


@settings(max_examples=150, deadline=None)
@given(instances(min_mentees=3, min_mentors=2, fairness=True))
def test_fairness_mode_is_the_brute_force_optimum_lowest_score_first(instance):
    result = solve(instance)
    assert result_objective(instance, result) == brute_force_best(instance)


@settings(max_examples=60, deadline=None)
@given(instances(max_mentees=6, max_mentors=5))
def test_the_large_cohort_path_also_keeps_every_hard_rule(instance):
    result = solve(instance, exact_pair_limit=0, candidates_per_mentee=2)
    assert_valid(instance, result)


@settings(max_examples=60, deadline=None)
@given(instances(max_mentees=6, max_mentors=5))
def test_every_unmatched_mentee_has_a_reason(instance):
    result = solve(instance)
    assert all(u.reason and u.code for u in result.unmatched)


@settings(max_examples=60, deadline=None)
@given(instances(max_mentees=6, max_mentors=5))
def test_the_fast_block_path_agrees_with_the_rules_and_scores_pair_by_pair(instance):
    enc = encode(instance)
    rows = np.arange(len(enc.mentees))
    if not len(rows) or not len(enc.mentors):
        return
    i, j = (grid.ravel() for grid in np.meshgrid(rows, np.arange(len(enc.mentors)), indexing="ij"))
    pairwise_ok = pair_rules_hold(enc, i, j) & ~blocked_pairs(enc, i, j) & (enc.mentors.capacity[j] > 0)
    assert (feasible_block(enc, rows).ravel() == pairwise_ok).all()
    assert (enc.scorer.block(rows).ravel() == enc.scorer.scores(i, j)).all()
    mentees, mentors = instance.mentees, instance.mentors
    assert pairwise_ok.tolist() == [
        allowed(instance, mentees[a], mentors[b]) for a, b in zip(i, j, strict=True)
    ]
