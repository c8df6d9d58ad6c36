"""The other closed lists of the registration form: industries, functions, regions, languages.

Closed lists keep matching honest (no "IT" vs "it" vs "Information technology"); inputs are
normalised to the codes (case, spaces, hyphens, Danish letters) before they are checked.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Industry = Literal[
    "energy",
    "manufacturing",
    "construction",
    "retail",
    "finance",
    "insurance",
    "it_software",
    "telecom",
    "transport_logistics",
    "healthcare",
    "pharma_biotech",
    "food_agriculture",
    "public_sector",
    "education",
    "consulting",
    "media",
    "hospitality",
    "real_estate",
    "non_profit",
    "other",
]

Function = Literal[
    "general_management",
    "operations",
    "production",
    "finance",
    "hr",
    "it",
    "sales",
    "marketing",
    "customer_service",
    "research_development",
    "supply_chain",
    "legal",
    "communication",
    "project_management",
    "quality",
    "other",
]

Region = Literal["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland", "abroad"]

MeetingPreference = Literal["in_person", "online", "either"]

WithdrawalReason = Literal[
    "left_company", "changed_role", "no_time", "personal", "programme_decision", "other"
]

INDUSTRIES: tuple[str, ...] = get_args(Industry)
FUNCTIONS: tuple[str, ...] = get_args(Function)
REGIONS: tuple[str, ...] = get_args(Region)
MEETING_PREFERENCES: tuple[str, ...] = get_args(MeetingPreference)
WITHDRAWAL_REASONS: tuple[str, ...] = get_args(WithdrawalReason)

# ISO 639-1: the two-letter language codes.
LANGUAGES: frozenset[str] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
    dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id
    ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu
    lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
    rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr
    ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_SEPARATORS = re.compile(r"[\s\-/]+")


def code(value: object) -> object:
    """'Change-management ' -> 'change_management', 'Sjælland' -> 'sjaelland'; non-strings untouched."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if text.isascii() and text.isidentifier():
        return text  # already a code: the common case, kept cheap
    return _SEPARATORS.sub("_", text.translate(_DANISH))
