"""Registrations as a partner company would send them: valid by default, overridden per test."""

from __future__ import annotations

import uuid
from typing import Any

_counter = iter(range(1, 10**9))


def mentee(cohort_id: uuid.UUID | str, **overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    body: dict[str, Any] = {
        "cohort_id": str(cohort_id),
        "role": "mentee",
        "name": f"Mette Jensen {n}",
        "email": f"mette.{n}.{uuid.uuid4().hex[:6]}@example.com",
        "job_title": "Team Lead",
        "leadership_level": 1,
        "years_experience": 3,
        "industry": "energy",
        "function": "customer_service",
        "languages": ["da", "en"],
        "region": "midtjylland",
        "meeting_preference": "either",
        "themes": ["first_time_manager", "conflict_handling"],
        "themes_free_text": "Leading former peers",
        "expectations": "A sparring partner who has led a team through a reorganisation.",
        "consent": True,
    }
    return {**body, **overrides}


def mentor(cohort_id: uuid.UUID | str, **overrides: Any) -> dict[str, Any]:
    body = mentee(
        cohort_id,
        role="mentor",
        job_title="Director of Operations",
        leadership_level=4,
        years_experience=15,
        themes=["change_management", "leading_leaders"],
        expectations="Twenty years of leading through mergers; happy to share the mistakes too.",
        capacity=2,
    )
    return {**body, **overrides}


def row(**overrides: Any) -> dict[str, Any]:
    """An import row: a registration without cohort_id."""
    body = mentee(uuid.uuid4(), **overrides)
    del body["cohort_id"]
    return body
