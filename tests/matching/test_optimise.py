"""The optimisation layer on hand-made graphs where the right answer is known."""

from __future__ import annotations

import numpy as np

from services.matching.domain.optimise import Edges, best_assignment, fairest_threshold, solve_edges


def graph(*edges: tuple[int, int, int]) -> Edges:
    rows, cols, scores = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    return Edges(rows, cols, scores)


def test_matching_more_mentees_beats_a_higher_total():
    # Mentee 0 alone with mentor 0 scores 100; matching both mentees scores only 2 in total.
    edges = graph((0, 0, 100), (0, 1, 1), (1, 0, 1))
    assert best_assignment(edges, 2, np.array([1, 1])).tolist() == [1, 0]


def test_capacity_lets_one_mentor_take_several_mentees():
    edges = graph((0, 0, 10), (1, 0, 10), (2, 0, 10), (2, 1, 1))
    choice = best_assignment(edges, 3, np.array([2, 1]))
    assert sorted(choice.tolist()) == [0, 0, 1]


def test_fairness_raises_the_lowest_score_at_the_cost_of_the_total():
    # {0-1: 60, 1-0: 60} has the better lowest score; {0-0: 100, 1-1: 30} the better total.
    edges = graph((0, 0, 100), (0, 1, 60), (1, 0, 60), (1, 1, 30))
    capacity = np.array([1, 1])
    assert solve_edges(edges, 2, capacity, fairness=False).tolist() == [0, 1]
    assert fairest_threshold(edges, 2, capacity) == 60
    assert solve_edges(edges, 2, capacity, fairness=True).tolist() == [1, 0]


def test_fairness_never_trades_a_matched_mentee_for_a_higher_lowest_score():
    edges = graph((0, 0, 90), (1, 0, 5), (1, 1, 5))
    assert solve_edges(edges, 2, np.array([1, 1]), fairness=True).tolist() == [0, 1]


def test_a_low_pinned_pair_already_fixes_the_lowest_score_so_the_total_decides():
    edges = graph((0, 0, 100), (0, 1, 60), (1, 0, 60), (1, 1, 30))
    capacity = np.array([1, 1])
    assert solve_edges(edges, 2, capacity, fairness=True, floor=10).tolist() == [0, 1]
    assert solve_edges(edges, 2, capacity, fairness=True, floor=45).tolist() == [1, 0]


def test_nobody_can_be_matched():
    empty = Edges(*(np.zeros(0, dtype=np.int64) for _ in range(3)))
    assert best_assignment(empty, 2, np.array([1])).tolist() == [-1, -1]
    assert fairest_threshold(empty, 2, np.array([1])) is None
