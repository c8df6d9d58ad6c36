"""A small programme on the four real services for the personal-data tests: two companies, one pair
with both members' personal tokens, and a session each member logged with their own private notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tests.end_to_end.system import STAFF, System
from tests.support.services import eventually

MENTEE_NOTE = "Mette's own words about her manager"
MENTOR_NOTE = "Dorte's private reflection on the talk"
TERMS = "We meet at Dorte's office on the first Monday"


@dataclass
class Programme:
    cohort_id: str
    mentee_id: str
    mentor_id: str
    pair_id: str
    mentee_token: str
    mentor_token: str
    company_keys: dict[str, dict[str, str]]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def person(cohort_id: str, name: str, email: str, role: str) -> dict:
    body = {
        "cohort_id": cohort_id, "role": role, "name": name, "email": email, "job_title": "Team Lead",
        "leadership_level": 4 if role == "mentor" else 2, "years_experience": 6, "industry": "energy",
        "function": "operations", "languages": ["da", "en"], "region": "midtjylland",
        "meeting_preference": "either", "themes": ["strategy"], "expectations": "A fresh view from outside",
        "consent": True,
    }  # fmt: skip
    if role == "mentor":
        body["capacity"] = 1
    return body


async def company(system: System, name: str) -> dict[str, str]:
    created = await system.intake.post(
        "/v1/companies",
        headers=STAFF,
        json={"name": name, "hr_contact_name": f"HR of {name}", "hr_contact_email": "hr@example.org"},
    )
    assert created.status_code == 201, created.text
    key = await system.intake.post(f"/v1/companies/{created.json()['company_id']}/api-keys", headers=STAFF)
    assert key.status_code == 201, key.text
    return bearer(key.json()["api_key"])


async def log_session(system: System, pair_id: str, token: str, start: str, notes: str) -> dict:
    logged = await system.sessions.post(
        f"/v1/pairs/{pair_id}/sessions",
        headers=bearer(token),
        json={"held_on": str(date.today()), "start_time": start, "duration_minutes": 60, "format": "online",
              "tools": ["coaching"], "notes": notes},
    )  # fmt: skip
    assert logged.status_code == 201, logged.text
    return dict(logged.json())


async def matched_pair(system: System, cohort_name: str = "2027") -> Programme:
    """A cohort, Mette (mentee, Nordvind) paired with Dorte (mentor, Fjordbank), both with tokens, and
    one session logged by each with notes."""
    today = date.today()
    cohort = await system.intake.post(
        "/v1/cohorts",
        headers=STAFF,
        json={"name": cohort_name, "intake_opens_on": str(today - timedelta(days=30)),
              "intake_closes_on": str(today + timedelta(days=30))},
    )  # fmt: skip
    assert cohort.status_code == 201, cohort.text
    cohort_id = cohort.json()["cohort_id"]
    keys = {"Nordvind": await company(system, f"Nordvind {cohort_name}")}
    keys["Fjordbank"] = await company(system, f"Fjordbank {cohort_name}")
    mentee = await system.intake.post(
        "/v1/participants",
        headers=keys["Nordvind"],
        json=person(cohort_id, "Mette Jensen", "mette@nordvind.example", "mentee"),
    )
    mentor = await system.intake.post(
        "/v1/participants",
        headers=keys["Fjordbank"],
        json=person(cohort_id, "Dorte Friis", "dorte@fjordbank.example", "mentor"),
    )
    assert mentee.status_code == mentor.status_code == 201, (mentee.text, mentor.text)

    async def pool_in() -> bool:
        answer = await system.matching.get(f"/v1/cohorts/{cohort_id}", headers=STAFF)
        return answer.status_code == 200 and (answer.json()["mentees"], answer.json()["mentors"]) == (1, 1)

    await eventually(pool_in, timeout_s=30)
    run = (await system.matching.post(f"/v1/cohorts/{cohort_id}/runs", headers=STAFF)).json()
    approved = await system.matching.post(f"/v1/runs/{run['run_id']}/approve", headers=STAFF)
    assert approved.status_code == 200, approved.text
    pair_id = approved.json()["pairs"][0]["pair_id"]

    async def tokens() -> dict | None:
        answer = await system.sessions.post(f"/v1/pairs/{pair_id}/tokens", headers=STAFF)
        return answer.json() if answer.status_code == 201 else None

    issued = await eventually(tokens, timeout_s=30)
    token = {t["role"]: t["token"] for t in issued["tokens"]}
    await log_session(system, pair_id, token["mentee"], "08:00", MENTEE_NOTE)
    await log_session(system, pair_id, token["mentor"], "09:00", MENTOR_NOTE)
    agreed = await system.sessions.put(
        f"/v1/pairs/{pair_id}/agreement",
        headers=bearer(token["mentee"]),
        json={"frequency": "monthly", "terms": TERMS, "confidentiality_confirmed": True},
    )
    assert agreed.status_code in (200, 201), agreed.text
    return Programme(
        cohort_id, mentee.json()["participant_id"], mentor.json()["participant_id"], pair_id,
        token["mentee"], token["mentor"], keys,
    )  # fmt: skip
