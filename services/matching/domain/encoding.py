"""The instance as numpy arrays: small integer codes and bit sets, so rules and scores vectorise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from services.matching.domain.model import Instance, MatchSettings, Person, Weights
from services.matching.domain.scoring import Scorer
from services.matching.domain.side import MEETING_CODES, Side


def normal(text: str) -> str:
    """Free-text attributes compare without regard to case or surrounding spaces."""
    return text.strip().casefold()


class Vocabulary:
    """Stable small integer codes for strings."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def code(self, value: str) -> int:
        return self.codes.setdefault(value, len(self.codes))

    def __len__(self) -> int:
        return len(self.codes)


def _bitsets(groups: Sequence[Iterable[str]], vocabulary: Vocabulary) -> list[np.ndarray]:
    """One uint64 array per 64 words of vocabulary; bit k of a row says whether it holds word k."""
    coded = [[vocabulary.code(normal(v)) for v in group] for group in groups]
    words = max(1, -(-len(vocabulary) // 64))
    bits = np.zeros((words, len(groups)), dtype=np.uint64)
    for row, codes in enumerate(coded):
        for code in codes:
            bits[code // 64, row] |= np.uint64(1) << np.uint64(code % 64)
    return list(bits)


@dataclass(frozen=True)
class Encoded:
    mentees: Side
    mentors: Side
    blocked: dict[int, np.ndarray]
    """Mentee position -> mentor positions staff excluded or that ended with "do not match again"."""
    weights: Weights
    settings: MatchSettings

    @cached_property
    def scorer(self) -> Scorer:
        """The cohort's score tables, built once on first use."""
        return Scorer(self.mentees, self.mentors, self.weights, self.settings)


def encode(instance: Instance) -> Encoded:
    companies, languages, regions, themes, industries, functions = (Vocabulary() for _ in range(6))
    people = (*instance.mentees, *instance.mentors)
    for person in people:
        companies.code(person.company)
        for company in person.avoid_companies:
            companies.code(company)

    def side(persons: Sequence[Person]) -> Side:
        n = len(persons)
        avoid = None
        if any(p.avoid_companies for p in persons):
            avoid = np.zeros((n, len(companies)), dtype=bool)
            for row, p in enumerate(persons):
                for company in p.avoid_companies:
                    avoid[row, companies.codes[company]] = True
        return Side(
            ids=tuple(p.id for p in persons),
            company=np.array([companies.codes[p.company] for p in persons], dtype=np.int32),
            languages=_bitsets([p.languages for p in persons], languages),
            region=np.array([regions.code(normal(p.region)) for p in persons], dtype=np.int32),
            meeting=np.array([MEETING_CODES[p.meeting] for p in persons], dtype=np.int8),
            level=np.array([p.level for p in persons], dtype=np.int32),
            themes=_bitsets([p.themes for p in persons], themes),
            theme_count=np.array([len({normal(t) for t in p.themes}) for p in persons], dtype=np.int32),
            industry=np.array([industries.code(normal(p.industry)) for p in persons], dtype=np.int32),
            function=np.array([functions.code(normal(p.function)) for p in persons], dtype=np.int32),
            years=np.array([p.years for p in persons], dtype=np.int32),
            avoid=avoid,
            capacity=np.array([p.capacity for p in persons], dtype=np.int32),
        )

    mentees, mentors = side(instance.mentees), side(instance.mentors)
    # Both sides' bit sets must span the same vocabulary, so pad the side encoded first.
    for attribute in ("languages", "themes"):
        a, b = getattr(mentees, attribute), getattr(mentors, attribute)
        while len(a) < len(b):
            a.append(np.zeros(len(mentees), dtype=np.uint64))
    mentee_at = {m: i for i, m in enumerate(mentees.ids)}
    mentor_at = {m: j for j, m in enumerate(mentors.ids)}
    blocked: dict[int, list[int]] = {}
    for mentee, mentor in instance.excluded | instance.never_again:
        if mentee in mentee_at and mentor in mentor_at:
            blocked.setdefault(mentee_at[mentee], []).append(mentor_at[mentor])
    return Encoded(
        mentees=mentees,
        mentors=mentors,
        blocked={i: np.array(sorted(js), dtype=np.int64) for i, js in blocked.items()},
        weights=instance.weights,
        settings=instance.settings,
    )
