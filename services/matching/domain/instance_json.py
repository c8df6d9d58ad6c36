"""The JSON form of an instance and of a result, shared by `matching-solve` and the tests.

Unknown fields are ignored; anything else that is wrong is reported, every problem on one line.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from services.matching.domain.candidates import blocks
from services.matching.domain.encoding import encode
from services.matching.domain.model import (
    CRITERIA,
    MAX_WEIGHT,
    Instance,
    MatchSettings,
    Person,
    Result,
    Weights,
)
from services.matching.domain.scoring import to_points

Id = str | int


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PersonIn(_Lenient):
    id: Id
    company: Id
    languages: list[str] = Field(min_length=1)
    region: str
    meeting: Literal["in_person", "online", "either"]
    level: int
    themes: list[str] = []
    industry: str = ""
    function: str = ""
    years: int = Field(default=0, ge=0)
    avoid_companies: list[Id] = []

    def person(self, capacity: int = 0) -> Person:
        return Person(
            id=str(self.id),
            company=str(self.company),
            languages=frozenset(self.languages),
            region=self.region,
            meeting=self.meeting,
            level=self.level,
            themes=frozenset(self.themes),
            industry=self.industry,
            function=self.function,
            years=self.years,
            avoid_companies=frozenset(str(c) for c in self.avoid_companies),
            capacity=capacity,
        )


class MentorIn(PersonIn):
    capacity: int = Field(ge=0)


class InstanceIn(_Lenient):
    mentees: list[PersonIn]
    mentors: list[MentorIn]
    excluded_pairs: list[tuple[Id, Id]] = []
    pinned_pairs: list[tuple[Id, Id]] = []
    do_not_rematch_pairs: list[tuple[Id, Id]] = []
    weights: dict[str, float] = {}
    fairness: bool = False
    industry_preference: Literal["same", "different", "any"] = "different"

    @field_validator("weights")
    @classmethod
    def _weights_in_range(cls, weights: dict[str, float]) -> dict[str, float]:
        for name, value in weights.items():
            if name in CRITERIA and not 0 <= value <= MAX_WEIGHT:
                raise ValueError(f"weight {name} must be between 0 and {MAX_WEIGHT:g}")
        return weights

    @model_validator(mode="after")
    def _ids_known_and_unique(self) -> InstanceIn:
        for role, people in (("mentee", self.mentees), ("mentor", self.mentors)):
            ids = [str(p.id) for p in people]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"{role} ids must be unique; repeated: {', '.join(duplicates)}")
        mentees = {str(p.id) for p in self.mentees}
        mentors = {str(p.id) for p in self.mentors}
        for field in ("excluded_pairs", "pinned_pairs", "do_not_rematch_pairs"):
            for mentee, mentor in getattr(self, field):
                if str(mentee) not in mentees:
                    raise ValueError(f"{field} names unknown mentee {mentee}")
                if str(mentor) not in mentors:
                    raise ValueError(f"{field} names unknown mentor {mentor}")
        return self

    def instance(self) -> Instance:
        def pairs(given: list[tuple[Id, Id]]) -> list[tuple[str, str]]:
            return [(str(a), str(b)) for a, b in given]

        return Instance(
            mentees=tuple(p.person() for p in self.mentees),
            mentors=tuple(p.person(p.capacity) for p in self.mentors),
            excluded=frozenset(pairs(self.excluded_pairs)),
            never_again=frozenset(pairs(self.do_not_rematch_pairs)),
            pinned=tuple(pairs(self.pinned_pairs)),
            weights=Weights.from_mapping(self.weights),
            settings=MatchSettings(self.fairness, self.industry_preference),
        )


def one_line(error: ValidationError) -> str:
    """Every validation problem, as `where: what`, joined on one line."""
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "instance"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_instance(raw: str | bytes) -> Instance:
    """The instance in `raw` JSON; raises ValueError with a one-line message if it is malformed."""
    try:
        return InstanceIn.model_validate_json(raw).instance()
    except ValidationError as error:
        raise ValueError(one_line(error)) from None


def result_json(result: Result) -> dict[str, Any]:
    return {
        "pairs": [
            {"mentee": p.mentee, "mentor": p.mentor, "score": p.score, "explanation": p.explanation}
            for p in result.pairs
        ],
        "unmatched": [{"mentee": u.mentee, "reason": u.reason} for u in result.unmatched],
        "objective": {"matched": result.matched, "total_score": result.total_score},
        "solver": {
            "method": result.report.method,
            "proven_optimal": result.report.proven_optimal,
            "lowest_score": result.lowest_score,
            "note": result.report.note,
        },
    }


def all_scores(instance: Instance) -> list[dict[str, Any]]:
    """The score of every pair the hard rules allow (capacity as given, staff exclusions applied)."""
    enc = encode(instance)
    out: list[dict[str, Any]] = []
    for part, ok, block in blocks(enc, np.arange(len(enc.mentees))):
        local, cols = np.nonzero(ok)
        for r, c, s in zip(part[local].tolist(), cols.tolist(), block[local, cols].tolist(), strict=True):
            out.append({"mentee": enc.mentees.ids[r], "mentor": enc.mentors.ids[c], "score": to_points(s)})
    return out
