"""From what matching knows about a cohort to the instance the solver takes: who is still to match.

Mentees already in an active pair are not in the pool; mentors bring only the capacity their active
pairs leave free; withdrawn participants are left out. Pins that can no longer hold are dropped, each
with its reason, and the rest are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.matching.domain.model import Instance, MatchSettings, Person, Weights
from services.matching.domain.solver import pin_problems

DEFAULT_MENTOR_CAPACITY = 1
"""A mentor whose profile names no capacity takes one mentee."""


@dataclass(frozen=True)
class Member:
    participant_id: UUID
    company_id: UUID
    role: str
    profile: Mapping[str, Any]
    withdrawn: bool = False


@dataclass(frozen=True)
class DroppedPin:
    mentee_id: str
    mentor_id: str
    reason: str


def person(member: Member, capacity: int = 0) -> Person:
    p = member.profile
    return Person(
        id=str(member.participant_id),
        company=str(member.company_id),
        languages=frozenset(p["languages"]),
        region=p["region"],
        meeting=p["meeting_preference"],
        level=int(p["leadership_level"]),
        themes=frozenset(p.get("themes") or ()),
        industry=p.get("industry", ""),
        function=p.get("function", ""),
        years=int(p.get("years_experience", 0)),
        avoid_companies=frozenset(str(c) for c in p.get("avoid_company_ids") or ()),
        capacity=capacity,
    )


def full_capacity(member: Member) -> int:
    return int(member.profile.get("capacity") or DEFAULT_MENTOR_CAPACITY)


def cohort_instance(
    members: Iterable[Member],
    active_pairs: Iterable[tuple[UUID, UUID]],
    pins: Sequence[tuple[UUID, UUID]],
    exclusions: Iterable[tuple[UUID, UUID]],
    never_again: Iterable[tuple[UUID, UUID]],
    weights: Mapping[str, float],
    settings: MatchSettings,
) -> tuple[Instance, list[DroppedPin]]:
    """The instance for a run now, and the pins that had to be dropped."""
    present = [m for m in members if not m.withdrawn]
    active = list(active_pairs)
    paired = {mentee for mentee, _ in active}
    load = Counter(mentor for _, mentor in active)
    mentees = tuple(person(m) for m in present if m.role == "mentee" and m.participant_id not in paired)
    mentors = tuple(
        person(m, max(full_capacity(m) - load[m.participant_id], 0)) for m in present if m.role == "mentor"
    )
    base = Instance(
        mentees,
        mentors,
        excluded=frozenset((str(a), str(b)) for a, b in exclusions),
        never_again=frozenset((str(a), str(b)) for a, b in never_again),
        weights=Weights.from_mapping(weights),
        settings=settings,
    )
    kept: list[tuple[str, str]] = []
    dropped: list[DroppedPin] = []
    for mentee_id, mentor_id in pins:
        pair = (str(mentee_id), str(mentor_id))
        if mentee_id in paired:
            dropped.append(DroppedPin(*pair, "the mentee is already in an active pair"))
            continue
        problems = pin_problems(_with_pins(base, [*kept, pair]))
        if problems:
            dropped.append(DroppedPin(*pair, problems[-1].split(": ", 1)[-1]))
        else:
            kept.append(pair)
    return _with_pins(base, kept), dropped


def _with_pins(instance: Instance, pins: Sequence[tuple[str, str]]) -> Instance:
    return Instance(
        instance.mentees,
        instance.mentors,
        instance.excluded,
        instance.never_again,
        tuple(pins),
        instance.weights,
        instance.settings,
    )


def stale_proposals(
    people: Mapping[UUID, Member],
    active_pairs: Iterable[tuple[UUID, UUID]],
    proposals: Iterable[tuple[UUID, UUID]],
) -> list[str]:
    """Why each proposal (mentee, mentor) was overtaken since its run: a withdrawal, a mentee paired
    meanwhile, or a mentor whose places are taken; empty when all can still be approved."""
    active = list(active_pairs)
    paired = {mentee for mentee, _ in active}
    load = Counter(mentor for _, mentor in active)
    stale = []
    for mentee_id, mentor_id in proposals:
        mentee, mentor = people.get(mentee_id), people.get(mentor_id)
        if mentee is None or mentee.withdrawn or mentor is None or mentor.withdrawn:
            stale.append(f"{mentee_id}-{mentor_id}: a participant withdrew")
        elif mentee_id in paired:
            stale.append(f"{mentee_id}-{mentor_id}: the mentee is already in an active pair")
        else:
            load[mentor_id] += 1
            if load[mentor_id] > full_capacity(mentor):
                stale.append(f"{mentee_id}-{mentor_id}: the mentor has no free capacity left")
    return stale
