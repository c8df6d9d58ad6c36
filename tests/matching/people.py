"""Readable builders for hand-written cohorts."""

from __future__ import annotations

from typing import Any

from services.matching.domain.model import Person


def mentee(id: str, **attrs: Any) -> Person:
    values: dict[str, Any] = {
        "company": "acme",
        "languages": frozenset({"da"}),
        "region": "north",
        "meeting": "either",
        "level": 2,
        "themes": frozenset({"strategy"}),
        "industry": "energy",
        "function": "ops",
        "years": 5,
    }
    values.update(attrs)
    for key in ("languages", "themes", "avoid_companies"):
        if key in values:
            values[key] = frozenset(values[key])
    return Person(id=id, **values)


def mentor(id: str, capacity: int = 1, **attrs: Any) -> Person:
    attrs.setdefault("company", "birk")
    attrs.setdefault("level", 4)
    attrs.setdefault("years", 20)
    return mentee(id, capacity=capacity, **attrs)
