"""A partner company's registration form and intake's participant, translated both ways (pure).

The form sends strings; intake's API judges every value. What is typed is passed on as typed (a
number field that holds "abc" is sent as "abc", so intake's 422 names it), empty optional fields are
left out, and intake's refusals come back as problems of the form's fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from shared.errors import Problem

# The form's fields in the order shown; `languages` is ticked boxes plus a free "other" box.
PROFILE_FIELDS = (
    "name",
    "email",
    "job_title",
    "leadership_level",
    "years_experience",
    "industry",
    "function",
    "languages",
    "region",
    "meeting_preference",
    "themes",
    "themes_free_text",
    "expectations",
    "capacity",
)
REGISTRATION_ONLY = ("cohort_id", "role", "external_ref", "consent")
NUMBERS = ("leadership_level", "years_experience", "capacity")
LISTS = ("languages", "themes")
OPTIONAL_TEXT = ("external_ref", "themes_free_text")
COMMON_LANGUAGES = ("da", "en", "sv", "nb", "de")
WITHDRAWAL_REASONS = ("left_company", "changed_role", "no_time", "personal", "programme_decision", "other")
RETRACTION_REASONS = ("logged_by_mistake", "duplicate", "did_not_take_place")

# intake's refusals that are not a 422, shown at the field they are about
CONFLICT_FIELDS = {
    "duplicate_email": "email",
    "external_ref_conflict": "external_ref",
    "intake_closed": "cohort_id",
    "intake_not_open": "cohort_id",
    "cohort_not_found": "cohort_id",
}

_SPLIT = re.compile(r"[\s,;|]+")


def form_values(form: Mapping[str, Any] | Any) -> dict[str, Any]:
    """What was typed, to fill the form again: lists for the boxes, strings for the rest."""
    values: dict[str, Any] = {}
    for name in (*REGISTRATION_ONLY, *PROFILE_FIELDS, "other_languages", "idempotency_key"):
        if name in LISTS:
            values[name] = [str(v) for v in form.getlist(name)] if hasattr(form, "getlist") else []
        else:
            values[name] = str(form.get(name) or "")
    return values


def _number(text: str) -> int | str:
    text = text.strip()
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else text


def _languages(values: Mapping[str, Any]) -> list[str]:
    ticked = [v for v in values.get("languages", []) if v]
    other = [v for v in _SPLIT.split(values.get("other_languages", "").strip().lower()) if v]
    return list(dict.fromkeys([*ticked, *other]))


def profile_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """The profile fields as intake reads them; empty optional ones left out (or cleared on a change)."""
    body: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        if name == "languages":
            body[name] = _languages(values)
            continue
        value = values.get(name)
        if name in LISTS:
            body[name] = list(value or [])
        elif name in NUMBERS:
            if str(value or "").strip():
                body[name] = _number(str(value))
        elif name in OPTIONAL_TEXT:
            body[name] = str(value or "").strip()
        elif str(value or "").strip():
            body[name] = str(value)
    return body


def registration_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """A new registration: the profile plus cohort, role, the company's own reference and consent."""
    body = profile_body(values)
    for name in ("cohort_id", "role"):
        if values.get(name):
            body[name] = values[name]
    if str(values.get("external_ref", "")).strip():
        body["external_ref"] = str(values["external_ref"]).strip()
    else:
        body.pop("external_ref", None)
    if not body.get("themes_free_text"):
        body.pop("themes_free_text", None)
    body["consent"] = values.get("consent") in ("on", "true", "yes", "1")
    return body


def change_body(values: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """A change: only the fields that differ from the participant as intake holds them."""
    wanted = profile_body(values)
    changes: dict[str, Any] = {}
    for name, value in wanted.items():
        before = current.get(name)
        if isinstance(before, list):
            if list(value) != before:
                changes[name] = value
        elif value != before and not (value == "" and before in (None, "")):
            changes[name] = value
    return changes


def values_of(participant: Mapping[str, Any]) -> dict[str, Any]:
    """A participant as the form shows it."""
    values: dict[str, Any] = {}
    for name in (*REGISTRATION_ONLY, *PROFILE_FIELDS):
        value = participant.get(name)
        if name == "languages":
            languages = list(value or [])
            values[name] = [v for v in languages if v in COMMON_LANGUAGES]
            values["other_languages"] = ", ".join(v for v in languages if v not in COMMON_LANGUAGES)
        elif name in LISTS:
            values[name] = list(value or [])
        else:
            values[name] = "" if value is None else str(value)
    return values


def conflict_problem(code: str | None, message: str) -> Problem:
    """A 409 (duplicate email, closed window…) as a problem of the field it is about."""
    field = CONFLICT_FIELDS.get(code or "", "_form")
    return Problem(("body", field), message, code or "conflict")


def problems_by_row(results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """An import report's rejected rows, one line per reason: row, line, field, why."""
    lines = []
    for result in results:
        if result.get("status") != "rejected":
            continue
        for error in result.get("errors") or [{"field": "", "message": "", "type": ""}]:
            lines.append(
                {
                    "row": result.get("row"),
                    "line": result.get("line"),
                    "external_ref": result.get("external_ref"),
                    "field": error.get("field", ""),
                    "message": error.get("message", ""),
                }
            )
    return lines
