"""A pair member's session form and sessions' API, translated both ways (pure).

Values go on as typed; sessions judges them (its 422 names each field, never echoing a value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

FORMATS = ("in_person", "online", "phone")
TOOLS = ("coaching", "supervision", "instruction", "advice", "sharing_experience")
RATINGS = ("1", "2", "3", "4", "5")
DURATIONS = ("30", "45", "60", "90", "120")
RETRACTION_REASONS = ("logged_by_mistake", "duplicate", "did_not_take_place")
FIELDS = ("held_on", "start_time", "duration_minutes", "format", "tools", "rating", "notes")

# sessions' refusals that are not a 422, shown at the field they are about
CONFLICT_FIELDS = {"session_exists": "start_time", "start_taken": "start_time", "stale_version": "_form"}


def form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in FIELDS if name != "tools"}
    values["tools"] = [str(v) for v in form.getlist("tools")]
    values["base_version"] = str(form.get("base_version") or "")
    values["duration_other"] = str(form.get("duration_other") or "")
    return values


def defaults(zone: str, now: datetime | None = None) -> dict[str, Any]:
    """A new session's form, ready for the common case: today, an hour, in person."""
    local = (now or datetime.now(ZoneInfo(zone))).astimezone(ZoneInfo(zone))
    return {
        "held_on": local.date().isoformat(),
        "start_time": "",
        "duration_minutes": "60",
        "format": "in_person",
        "tools": [],
        "rating": "",
        "notes": "",
    }


def _number(text: str) -> int | str:
    text = text.strip()
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else text


def session_body(values: Mapping[str, Any], correction: bool = False) -> dict[str, Any]:
    """The session as sessions reads it. A correction always sends rating and notes: what the form
    shows is what the session should say (an emptied box clears them)."""
    minutes = str(values.get("duration_other") or "").strip() or str(values.get("duration_minutes") or "")
    body: dict[str, Any] = {
        "held_on": str(values.get("held_on") or "").strip(),
        "start_time": str(values.get("start_time") or "").strip(),
        "duration_minutes": _number(minutes) if minutes.strip() else None,
        "format": values.get("format") or None,
        "tools": list(values.get("tools") or []),
    }
    for name in ("held_on", "start_time", "duration_minutes", "format"):
        if body[name] in ("", None):
            del body[name]  # missing: sessions says so next to the field
    rating = str(values.get("rating") or "").strip()
    notes = str(values.get("notes") or "")
    if rating or correction:
        body["rating"] = _number(rating) if rating else None
    if notes.strip() or correction:
        body["notes"] = notes
    if correction and str(values.get("base_version") or "").isdigit():
        body["base_version"] = int(values["base_version"])
    return body


def values_of(session: Mapping[str, Any]) -> dict[str, Any]:
    """A session as the correction form shows it."""
    minutes = str(session.get("duration_minutes") or "")
    return {
        "held_on": str(session.get("held_on") or ""),
        "start_time": str(session.get("start_time") or ""),
        "duration_minutes": minutes if minutes in DURATIONS else "other",
        "duration_other": "" if minutes in DURATIONS else minutes,
        "format": session.get("format") or "",
        "tools": list(session.get("tools") or []),
        "rating": "" if session.get("rating") is None else str(session["rating"]),
        "notes": session.get("notes") or "",
        "base_version": str(session.get("version") or ""),
    }
