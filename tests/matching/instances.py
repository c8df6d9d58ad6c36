"""Small random cohorts for property tests, an independent statement of the hard rules, brute force."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
from hypothesis import strategies as st

from services.matching.domain.encoding import encode
from services.matching.domain.model import Instance, MatchSettings, Person, Result, Weights
from services.matching.domain.scoring import UNIT
from services.matching.domain.solver import pin_problems

COMPANIES = ["acme", "birk", "coda"]


@st.composite
def people(draw: st.DrawFn, role: str, count: int) -> tuple[Person, ...]:
    out = []
    for k in range(count):
        out.append(
            Person(
                id=f"{role}{k}",
                company=draw(st.sampled_from(COMPANIES)),
                languages=draw(st.frozensets(st.sampled_from(["da", "en", "DE"]), min_size=1, max_size=2)),
                region=draw(st.sampled_from(["north", "south"])),
                meeting=draw(st.sampled_from(["in_person", "online", "either"])),
                level=draw(st.integers(1, 5)),
                themes=draw(
                    st.frozensets(st.sampled_from(["strategy", "change", "people", "money"]), max_size=3)
                ),
                industry=draw(st.sampled_from(["energy", "pharma"])),
                function=draw(st.sampled_from(["ops", "hr"])),
                years=draw(st.integers(0, 25)),
                avoid_companies=draw(st.frozensets(st.sampled_from(COMPANIES), max_size=1)),
                capacity=draw(st.integers(0, 3)) if role == "mentor" else 0,
            )
        )
    return tuple(out)


@st.composite
def instances(
    draw: st.DrawFn,
    max_mentees: int = 5,
    max_mentors: int = 4,
    min_mentees: int = 0,
    min_mentors: int = 0,
    pins: bool = True,
    fairness: bool | None = None,
) -> Instance:
    mentees = draw(people("mentee", draw(st.integers(min_mentees, max_mentees))))
    mentors = draw(people("mentor", draw(st.integers(min_mentors, max_mentors))))
    all_pairs = [(a.id, b.id) for a in mentees for b in mentors]
    excluded = frozenset(p for p in all_pairs if draw(st.integers(0, 7)) == 0)
    never_again = frozenset(p for p in all_pairs if draw(st.integers(0, 11)) == 0)
    weights = Weights(**{name: draw(st.sampled_from([0.0, 5.0, 10.0, 35.0])) for name in Weights().as_dict()})
    settings = MatchSettings(
        fairness=draw(st.booleans()) if fairness is None else fairness,
        industry_preference=draw(st.sampled_from(["same", "different", "any"])),
    )
    instance = Instance(mentees, mentors, excluded, never_again, (), weights, settings)
    if pins and all_pairs:
        kept: list[tuple[str, str]] = []
        for pair in draw(st.lists(st.sampled_from(all_pairs), max_size=2)):
            trial = Instance(mentees, mentors, excluded, never_again, (*kept, pair), weights, settings)
            if not pin_problems(trial):
                kept.append(pair)
        instance = Instance(mentees, mentors, excluded, never_again, tuple(kept), weights, settings)
    return instance


def _plain(text: str) -> str:
    return text.strip().casefold()


def allowed(instance: Instance, mentee: Person, mentor: Person) -> bool:
    """The hard rules as the issue states them, written apart from the solver's vectorised version."""
    return (
        mentee.company != mentor.company
        and mentor.company not in mentee.avoid_companies
        and mentee.company not in mentor.avoid_companies
        and bool({_plain(x) for x in mentee.languages} & {_plain(x) for x in mentor.languages})
        and not (
            mentee.meeting == mentor.meeting == "in_person" and _plain(mentee.region) != _plain(mentor.region)
        )
        and (mentee.id, mentor.id) not in instance.excluded
        and (mentee.id, mentor.id) not in instance.never_again
        and mentor.capacity > 0
    )


def score_table(instance: Instance) -> dict[tuple[str, str], int]:
    """Each allowed pair's score in units, from the domain's scoring (brute force tests the search)."""
    enc = encode(instance)
    table = {}
    for i, mentee in enumerate(instance.mentees):
        for j, mentor in enumerate(instance.mentors):
            if allowed(instance, mentee, mentor):
                table[(mentee.id, mentor.id)] = int(enc.scorer.scores(np.array([i]), np.array([j]))[0])
    return table


def _assignments(instance: Instance, table: dict[tuple[str, str], int]) -> Iterator[list[tuple[str, str]]]:
    pinned = dict(instance.pinned)
    load = {m.id: 0 for m in instance.mentors}
    for mentor in pinned.values():
        load[mentor] += 1
    capacity = {m.id: m.capacity for m in instance.mentors}
    free = [m.id for m in instance.mentees if m.id not in pinned]
    options = [[None, *[b for (a, b) in table if a == mentee]] for mentee in free]
    for choice in itertools.product(*options):
        used = dict(load)
        ok = True
        for mentor in choice:
            if mentor is not None:
                used[mentor] += 1
                ok = ok and used[mentor] <= capacity[mentor]
        if ok:
            yield [*instance.pinned, *((a, b) for a, b in zip(free, choice, strict=True) if b is not None)]


def objective(instance: Instance, pairs: list[tuple[str, str]], table: dict[tuple[str, str], int]) -> tuple:
    """(matched, lowest score in fairness mode, total score), compared lexicographically."""
    values = [table[p] for p in pairs]
    lowest = min(values, default=0) if instance.settings.fairness else 0
    return (len(values), lowest, sum(values))


def brute_force_best(instance: Instance) -> tuple:
    table = score_table(instance)
    return max(objective(instance, pairs, table) for pairs in _assignments(instance, table))


def result_objective(instance: Instance, result: Result) -> tuple:
    table = score_table(instance)
    pairs = [(p.mentee, p.mentor) for p in result.pairs]
    assert all(round(p.score * UNIT) == table[(p.mentee, p.mentor)] for p in result.pairs)
    return objective(instance, pairs, table)
