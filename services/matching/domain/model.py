"""The matching instance and its result: plain values, no numpy, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Meeting = Literal["in_person", "online", "either"]
IndustryPreference = Literal["same", "different", "any"]

CRITERIA: tuple[str, ...] = ("themes", "level", "industry", "function", "experience", "meeting")
"""The soft criteria, in the order their parts are summed and shown."""

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "themes": 35.0,
    "level": 20.0,
    "industry": 10.0,
    "function": 10.0,
    "experience": 10.0,
    "meeting": 15.0,
}
"""Out of 100: a pair that fits perfectly on every criterion scores 100."""

MAX_WEIGHT = 1000.0


@dataclass(frozen=True)
class Person:
    """A mentee or a mentor as matching sees them; `capacity` is the mentor's free capacity."""

    id: str
    company: str
    languages: frozenset[str]
    region: str
    meeting: Meeting
    level: int
    themes: frozenset[str] = frozenset()
    industry: str = ""
    function: str = ""
    years: int = 0
    avoid_companies: frozenset[str] = frozenset()
    capacity: int = 0


@dataclass(frozen=True)
class Weights:
    """How much each soft criterion counts; a part is the weight times a fit between 0 and 1."""

    themes: float = DEFAULT_WEIGHTS["themes"]
    level: float = DEFAULT_WEIGHTS["level"]
    industry: float = DEFAULT_WEIGHTS["industry"]
    function: float = DEFAULT_WEIGHTS["function"]
    experience: float = DEFAULT_WEIGHTS["experience"]
    meeting: float = DEFAULT_WEIGHTS["meeting"]

    def __post_init__(self) -> None:
        for name in CRITERIA:
            value = getattr(self, name)
            if not 0 <= value <= MAX_WEIGHT:
                raise ValueError(f"weight {name} must be between 0 and {MAX_WEIGHT:g}, got {value!r}")

    @classmethod
    def from_mapping(cls, given: Mapping[str, float] | None) -> Weights:
        """Defaults overridden by `given`; keys that are not criteria are ignored."""
        known = {k: float(v) for k, v in (given or {}).items() if k in CRITERIA}
        return cls(**known)

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in CRITERIA}


@dataclass(frozen=True)
class MatchSettings:
    """A cohort's own choices: the fairness mode and the industry preference."""

    fairness: bool = False
    industry_preference: IndustryPreference = "different"


@dataclass(frozen=True)
class Instance:
    """One cohort's pool at one moment: who can be matched, what staff decided, how to weigh."""

    mentees: tuple[Person, ...]
    mentors: tuple[Person, ...]
    excluded: frozenset[tuple[str, str]] = frozenset()
    never_again: frozenset[tuple[str, str]] = frozenset()
    pinned: tuple[tuple[str, str], ...] = ()
    weights: Weights = field(default_factory=Weights)
    settings: MatchSettings = field(default_factory=MatchSettings)


@dataclass(frozen=True)
class Pair:
    mentee: str
    mentor: str
    score: float
    explanation: dict[str, float]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str
    code: str


@dataclass(frozen=True)
class SolverReport:
    """How the result was found, so nobody has to guess what is proven."""

    method: Literal["exact", "candidates"]
    proven_optimal: bool
    candidate_edges: int
    note: str = ""


@dataclass(frozen=True)
class Result:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    report: SolverReport

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def total_score(self) -> float:
        return round(sum(p.score for p in self.pairs), 4)

    @property
    def lowest_score(self) -> float | None:
        return min((p.score for p in self.pairs), default=None)
