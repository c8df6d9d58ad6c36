"""One call from a cohort instance to the best set of pairs, with explanations and unmatched reasons.

Objective, in order: the most mentees matched; in fairness mode then the highest lowest pair score;
then the highest total score. Pinned pairs are kept as given and count in all three.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import structlog

from services.matching.domain.candidates import (
    CANDIDATES_PER_MENTEE,
    EXACT_PAIR_LIMIT,
    CandidateGraph,
    allowed_edges,
    full_rows,
)
from services.matching.domain.encoding import Encoded, encode
from services.matching.domain.model import Instance, Pair, Result, SolverReport
from services.matching.domain.optimise import Edges, solve_edges
from services.matching.domain.reasons import why_unmatched
from services.matching.domain.rules import broken_rules
from services.matching.domain.scoring import UNIT, to_points

log = structlog.get_logger(__name__)

RULE_WORDS = {
    "same_company": "mentor and mentee work in the same company",
    "avoided_company": "one side's company is on the other's must-not-pair list",
    "no_shared_language": "they share no language",
    "in_person_other_region": "both meet only in person and live in different regions",
    "excluded": "the pair is excluded by staff or ended as 'do not match again'",
    "no_free_capacity": "the mentor has no free capacity",
}


class InvalidInstance(ValueError):
    """The instance cannot be solved as given (e.g. a pin that breaks a hard rule)."""


def pin_problems(instance: Instance, enc: Encoded | None = None) -> list[str]:
    """Every reason the instance's pins cannot all be kept; empty when they can."""
    enc = enc or encode(instance)
    mentee_at = {m: i for i, m in enumerate(enc.mentees.ids)}
    mentor_at = {m: j for j, m in enumerate(enc.mentors.ids)}
    problems: list[str] = []
    seen: set[str] = set()
    load: Counter[int] = Counter()
    for mentee, mentor in instance.pinned:
        where = f"pinned pair ({mentee}, {mentor})"
        if mentee not in mentee_at:
            problems.append(f"{where}: no mentee {mentee}")
            continue
        if mentor not in mentor_at:
            problems.append(f"{where}: no mentor {mentor}")
            continue
        if mentee in seen:
            problems.append(f"{where}: the mentee is pinned twice")
            continue
        seen.add(mentee)
        broken = [
            r for r in broken_rules(enc, mentee_at[mentee], mentor_at[mentor]) if r != "no_free_capacity"
        ]
        if broken:
            problems.append(f"{where}: " + "; ".join(RULE_WORDS[r] for r in broken))
            continue
        load[mentor_at[mentor]] += 1
    for j, count in load.items():
        if count > enc.mentors.capacity[j]:
            problems.append(
                f"mentor {enc.mentors.ids[j]} is pinned to {count} mentees but has capacity"
                f" {int(enc.mentors.capacity[j])}"
            )
    return problems


def _with_capacity(enc: Encoded, capacity: np.ndarray) -> Encoded:
    return dataclasses.replace(enc, mentors=dataclasses.replace(enc.mentors, capacity=capacity))


def _explained(enc: Encoded, i: np.ndarray, j: np.ndarray, pinned: bool) -> list[Pair]:
    per_criterion = enc.scorer.parts(i, j)
    pairs = []
    for k in range(len(i)):
        units = {name: int(values[k]) for name, values in per_criterion.items()}
        pairs.append(
            Pair(
                mentee=enc.mentees.ids[int(i[k])],
                mentor=enc.mentors.ids[int(j[k])],
                score=to_points(sum(units.values())),
                explanation={name: to_points(u) for name, u in units.items()},
                pinned=pinned,
            )
        )
    return pairs


def solve(
    instance: Instance,
    *,
    exact_pair_limit: int = EXACT_PAIR_LIMIT,
    candidates_per_mentee: int = CANDIDATES_PER_MENTEE,
) -> Result:
    """The best pairs for the whole pool at once; raises InvalidInstance for pins that cannot hold."""
    enc = encode(instance)
    problems = pin_problems(instance, enc)
    if problems:
        raise InvalidInstance("; ".join(problems))
    mentee_at = {m: i for i, m in enumerate(enc.mentees.ids)}
    mentor_at = {m: j for j, m in enumerate(enc.mentors.ids)}
    pin_i = np.array([mentee_at[a] for a, _ in instance.pinned], dtype=np.int64)
    pin_j = np.array([mentor_at[b] for _, b in instance.pinned], dtype=np.int64)
    capacity = enc.mentors.capacity.astype(np.int64) - np.bincount(pin_j, minlength=len(enc.mentors))
    free = np.setdiff1d(np.arange(len(enc.mentees)), pin_i)
    open_enc = _with_capacity(enc, capacity)

    graph = allowed_edges(open_enc, free, exact_pair_limit=exact_pair_limit, per_mentee=candidates_per_mentee)
    pinned_pairs = _explained(enc, pin_i, pin_j, pinned=True)
    floor = int(enc.scorer.scores(pin_i, pin_j).min()) if len(pin_i) else None
    fairness = instance.settings.fairness
    edges = graph.edges
    choice = solve_edges(edges, len(free), capacity, fairness=fairness, floor=floor)
    if not graph.exact:
        edges, choice = _repair(
            open_enc, free, edges, choice, capacity, fairness, floor, candidates_per_mentee
        )

    chosen = choice >= 0
    new_pairs = _explained(enc, free[chosen], choice[chosen], pinned=False)
    left = capacity - np.bincount(choice[chosen], minlength=len(enc.mentors))
    unmatched = tuple(
        why_unmatched(open_enc, int(mentee), left, exact=graph.exact) for mentee in free[~chosen]
    )
    order = {m: k for k, m in enumerate(enc.mentees.ids)}
    pairs = tuple(sorted((*pinned_pairs, *new_pairs), key=lambda p: order[p.mentee]))
    new_scores = enc.scorer.scores(free[chosen], choice[chosen])
    return Result(
        pairs, unmatched, _report(graph, len(edges), choice, new_scores, capacity, candidates_per_mentee)
    )


def _repair(
    enc: Encoded,
    free: np.ndarray,
    edges: Edges,
    choice: np.ndarray,
    capacity: np.ndarray,
    fairness: bool,
    floor: int | None,
    per_mentee: int,
) -> tuple[Edges, np.ndarray]:
    """Give mentees the candidate graph left out every mentor still free, then solve once more."""
    left = capacity - np.bincount(choice[choice >= 0], minlength=len(capacity))
    lonely = np.nonzero(choice < 0)[0]
    spare = np.nonzero(left > 0)[0]
    if len(lonely) == 0 or len(spare) == 0:
        return edges, choice
    extra = full_rows(enc, free[lonely], spare, limit=per_mentee)
    if len(extra) == 0:
        return edges, choice
    merged = Edges(
        np.concatenate([edges.rows, lonely[extra.rows]]),
        np.concatenate([edges.cols, extra.cols]),
        np.concatenate([edges.scores, extra.scores]),
    )
    code = merged.rows * len(capacity) + merged.cols
    _, first = np.unique(code, return_index=True)
    merged = merged.where(np.sort(first))
    log.debug("candidate graph repaired", mentees=len(lonely), edges_added=len(extra))
    return merged, solve_edges(merged, len(free), capacity, fairness=fairness, floor=floor)


def _report(
    graph: CandidateGraph,
    edge_count: int,
    choice: np.ndarray,
    scores: np.ndarray,
    capacity: np.ndarray,
    per_mentee: int,
) -> SolverReport:
    """What is proven: everything on the exact path; on the candidate path the count and a score bound."""
    if graph.exact:
        return SolverReport("exact", True, edge_count, "every allowed pair was considered: optimal")
    matched = int((choice >= 0).sum())
    places = int(np.minimum(np.maximum(capacity, 0), graph.mentor_degree).sum())
    bound = min(graph.rows_with_any, places)
    note = f"optimal over each mentee's {per_mentee} best allowed mentors, not proven over all pairs"
    if matched < bound:
        return SolverReport(
            "candidates", False, edge_count, f"{note}; the number matched may be below the maximum ({bound})"
        )
    # With the count proven maximal, no solution's total exceeds the sum of the `matched` best row scores.
    best = np.sort(graph.row_best[graph.row_best >= 0])[::-1][:matched]
    reached, ceiling = int(scores.sum()), int(best.sum())
    share = 100.0 if ceiling == 0 else 100.0 * reached / ceiling
    return SolverReport(
        "candidates",
        False,
        edge_count,
        f"{note}; the number matched is proven maximal, and the total score of the new pairs is at least"
        f" {share:.2f}% of the best possible (proven upper bound {ceiling / UNIT:,.2f})",
    )
