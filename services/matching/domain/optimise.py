"""The optimisation itself, on a graph of allowed (mentee, mentor) edges, with SciPy's proven solvers.

Mentors are expanded into capacity slots and every mentee gets a private "unmatched" slot, so SciPy's
LAPJVsp (`min_weight_full_bipartite_matching`) can always match every mentee. A real edge weighs
BIG + score and an unmatched slot weighs 1; BIG exceeds any possible total score, so the optimum first
matches as many mentees as possible and then maximises the total score: the stated objective, exactly.
Fairness mode first finds the highest score threshold at which the largest number can still be matched
(Hopcroft-Karp, `maximum_bipartite_matching`, by bisection) and then optimises above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching


@dataclass(frozen=True)
class Edges:
    """Allowed pairs: mentee row (0..rows-1), mentor column, score in units."""

    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray

    def where(self, keep: np.ndarray) -> Edges:
        return Edges(self.rows[keep], self.cols[keep], self.scores[keep])

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class _Slots:
    rows: np.ndarray
    slots: np.ndarray
    edge: np.ndarray
    """Which input edge each slot edge came from."""
    count: int
    owner: np.ndarray


def _expand(edges: Edges, n_rows: int, capacity: np.ndarray) -> _Slots:
    """One edge per (mentee, free slot of the mentor); a mentor never needs more slots than mentees."""
    cap = np.minimum(np.maximum(capacity, 0), n_rows).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(cap)[:-1]))
    edge_cap = cap[edges.cols]
    if int(cap.max(initial=0)) <= 8:  # the usual 1-3 places: one pass per place beats np.repeat
        picked = [np.nonzero(edge_cap > k)[0] for k in range(int(cap.max(initial=0)))]
        edge = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
        offsets = np.concatenate([np.full(len(p), k) for k, p in enumerate(picked)]) if picked else edge
    else:
        edge = np.repeat(np.arange(len(edges)), edge_cap)
        offsets = np.arange(len(edge)) - np.repeat(np.cumsum(edge_cap) - edge_cap, edge_cap)
    return _Slots(
        rows=edges.rows[edge],
        slots=start[edges.cols[edge]] + offsets,
        edge=edge,
        count=int(cap.sum()),
        owner=np.repeat(np.arange(len(cap)), cap),
    )


def max_matched(edges: Edges, n_rows: int, capacity: np.ndarray) -> int:
    """The largest number of mentees that can be matched on these edges (Hopcroft-Karp)."""
    if n_rows == 0 or len(edges) == 0:
        return 0
    slots = _expand(edges, n_rows, capacity)
    if slots.count == 0:
        return 0
    graph = sp.csr_array(
        (np.ones(len(slots.rows), dtype=np.int8), (slots.rows, slots.slots)), shape=(n_rows, slots.count)
    )
    matched = maximum_bipartite_matching(graph, perm_type="column")
    return int((matched >= 0).sum())


def best_assignment(edges: Edges, n_rows: int, capacity: np.ndarray) -> np.ndarray:
    """Most mentees matched, then the highest total score; returns each row's mentor or -1."""
    choice = np.full(n_rows, -1, dtype=np.int64)
    if n_rows == 0 or len(edges) == 0:
        return choice
    slots = _expand(edges, n_rows, capacity)
    top = int(edges.scores.max())
    big = float((n_rows + 1) * (top + 2))
    weights = big + edges.scores[slots.edge].astype(np.float64)
    graph = sp.csr_array(
        (
            np.concatenate([weights, np.ones(n_rows)]),
            (
                np.concatenate([slots.rows, np.arange(n_rows)]),
                np.concatenate([slots.slots, slots.count + np.arange(n_rows)]),
            ),
        ),
        shape=(n_rows, slots.count + n_rows),
    )
    rows, cols = min_weight_full_bipartite_matching(graph, maximize=True)
    real = cols < slots.count
    choice[rows[real]] = slots.owner[cols[real]]
    return choice


def fairest_threshold(edges: Edges, n_rows: int, capacity: np.ndarray) -> int | None:
    """The highest score t such that as many mentees as possible can still be matched with pairs >= t."""
    most = max_matched(edges, n_rows, capacity)
    if most == 0:
        return None
    values = np.unique(edges.scores)
    low, high = 0, len(values) - 1  # values[low] always works: it keeps every edge
    while low < high:
        middle = (low + high + 1) // 2
        if max_matched(edges.where(edges.scores >= values[middle]), n_rows, capacity) == most:
            low = middle
        else:
            high = middle - 1
    return int(values[low])


def solve_edges(
    edges: Edges, n_rows: int, capacity: np.ndarray, *, fairness: bool, floor: int | None = None
) -> np.ndarray:
    """The objective over these edges; `floor` is the lowest pinned score, already part of the result.

    In fairness mode the lowest pair score of the whole result is min(floor, threshold), so edges below
    that are dropped; above it, most matched then highest total, as always.
    """
    if fairness:
        threshold = fairest_threshold(edges, n_rows, capacity)
        if threshold is not None:
            if floor is not None:
                threshold = min(threshold, floor)
            edges = edges.where(edges.scores >= threshold)
    return best_assignment(edges, n_rows, capacity)
