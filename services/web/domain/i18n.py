"""Danish and English: the message catalogue and what a field's refusal says in each language.

Pages ask `translate(language, key)`; a key missing in Danish falls back to English, a key missing in
both shows the key itself (a test checks every key has both). Page modules add their keys to the
catalogues in `catalogue/`, one module per area, so people working on different pages do not collide.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.web.domain.catalogue import (
    common,
    company,
    labels,
    matching,
    pair,
    privacy,
    reminders,
    report,
    rights,
    staff,
    year,
)
from shared.errors import Problem

LANGUAGES = ("da", "en")
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}

CATALOGUE: dict[str, dict[str, str]] = {"en": {}, "da": {}}
for _part in (common, staff, matching, company, pair, labels, report, rights, year, reminders, privacy):
    for _language in LANGUAGES:
        CATALOGUE[_language].update(_part.TEXT[_language])

# The API's refusal messages are English; the common kinds read in Danish too.
_DANISH_PROBLEMS: Mapping[str, str] = {
    "missing": "Skal udfyldes.",
    "string_too_short": "Skal udfyldes.",
    "string_too_long": "Teksten er for lang.",
    "value_error": "Ugyldig værdi.",
    "int_parsing": "Skal være et helt tal.",
    "float_parsing": "Skal være et tal.",
    "date_from_datetime_parsing": "Skal være en dato (åååå-mm-dd).",
    "date_parsing": "Skal være en dato (åååå-mm-dd).",
    "greater_than_equal": "Tallet er for lille.",
    "less_than_equal": "Tallet er for stort.",
    "enum": "Vælg en af mulighederne.",
    "literal_error": "Vælg en af mulighederne.",
    "uuid_parsing": "Ukendt valg.",
}


def choose(language: str | None, default: str = "da") -> str:
    return language if language in LANGUAGES else default


def translate(language: str, key: str, **values: object) -> str:
    text = CATALOGUE.get(language, {}).get(key) or CATALOGUE["en"].get(key) or key
    return text.format(**values) if values else text


def problem_text(language: str, problem: Problem) -> str:
    """What to show next to a refused field: the API's own words in English (they name the rule);
    in Danish the catalogue's text for the refusal's type or code, else the common kinds, else the API's."""
    if language != "en":
        own = CATALOGUE.get(language, {}).get(problem.type) or _DANISH_PROBLEMS.get(problem.type)
        if own:
            return own
    message = problem.msg.strip()
    return message[:1].upper() + message[1:] if message else problem.type
