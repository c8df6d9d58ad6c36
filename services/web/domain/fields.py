"""Refused fields, shown next to the field: an API's 422 `loc` becomes the form field's name."""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import Problem

_WHERE = {"body", "query", "path", "header"}


def field_name(loc: Iterable[str | int]) -> str:
    """("body", "hr_contact_email") -> "hr_contact_email"; ("body", "languages", 0) -> "languages"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    named = [p for p in parts if not p.isdigit()]
    return ".".join(named) or "_form"


def by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Each field's problems, first one first; problems of no field go under "_form"."""
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        found.setdefault(field_name(problem.loc), []).append(problem)
    return found
