"""From a submitted form to an API request body (pure): what was left empty is not sent, so the API
says "required" for what it requires and keeps its default for what it does not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

CRITERIA = ("themes", "level", "industry", "function", "experience", "meeting")
INDUSTRY_PREFERENCES = ("different", "same", "any")


def filled(form: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The named fields that were filled in, trimmed."""
    body: dict[str, Any] = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            body[name] = value
    return body


def ticked(form: Mapping[str, Any], name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")


def settings_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """Matching's cohort settings from the weights form: `weights.<criterion>` fields, fairness, industry."""
    weights = filled(form, (f"weights.{c}" for c in CRITERIA))
    return {
        "weights": {name.removeprefix("weights."): value for name, value in weights.items()},
        "fairness": ticked(form, "fairness"),
        **filled(form, ("industry_preference",)),
    }


def end_body(form: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reason": str(form.get("reason") or "").strip(),
        "do_not_rematch": ticked(form, "do_not_rematch"),
        **filled(form, ("ended_on",)),
    }
