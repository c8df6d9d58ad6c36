"""People for the browser tests, registered through intake's API with a company's key (the company's own
pages are another part of the web app; here they are only the setup)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    level: int
    languages: tuple[str, ...] = ("da", "en")
    region: str = "midtjylland"
    themes: tuple[str, ...] = ("strategy", "communication")
    capacity: int | None = None


def register(intake: str, key: str, cohort_id: str, person: Person, n: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cohort_id": cohort_id,
        "role": person.role,
        "name": person.name,
        "email": f"{person.name.split()[0].lower()}{n}@example.dk",
        "job_title": "Leader",
        "leadership_level": person.level,
        "years_experience": 4 + 3 * person.level,
        "industry": "energy" if n % 2 else "finance",
        "function": "operations",
        "languages": list(person.languages),
        "region": person.region,
        "meeting_preference": "either",
        "themes": list(person.themes),
        "expectations": "A view from outside",
        "consent": True,
    }
    if person.capacity is not None:
        body["capacity"] = person.capacity
    answer = httpx.post(
        f"{intake}/v1/participants", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created
