"""What the HR and pair tests need set up through the services' APIs (as staff would, or a company's HR
system): companies with keys, an open cohort, a matched pair with its members' personal links."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from tests.web.conftest import Stack

T = TypeVar("T")
LAPTOP = {"width": 1280, "height": 900}


def eventually(check: Callable[[], T | None], timeout_s: float = 45.0) -> T:
    deadline = time.monotonic() + timeout_s
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"nothing within {timeout_s}s; last: {last!r}")


@dataclass(frozen=True)
class Company:
    company_id: str
    name: str
    key: str
    hr_contact_name: str
    hr_contact_email: str


def company(stack: Stack, name: str) -> Company:
    unique = f"{name} {uuid.uuid4().hex[:6]}"
    contact = {"hr_contact_name": f"HR {name}", "hr_contact_email": f"hr@{name.split()[0].lower()}.example"}
    with stack.api("intake") as staff:
        created = staff.post("/v1/companies", json={"name": unique, **contact})
        assert created.status_code == 201, created.text
        company_id = created.json()["company_id"]
        key = staff.post(f"/v1/companies/{company_id}/api-keys", json={"label": "HR"})
        assert key.status_code == 201, key.text
    return Company(
        company_id, unique, key.json()["api_key"], contact["hr_contact_name"], contact["hr_contact_email"]
    )


def cohort(stack: Stack) -> dict[str, Any]:
    today = date.today()
    with stack.api("intake") as staff:
        created = staff.post(
            "/v1/cohorts",
            json={
                "name": f"Cohort {uuid.uuid4().hex[:6]}",
                "intake_opens_on": str(today - timedelta(days=10)),
                "intake_closes_on": str(today + timedelta(days=30)),
            },
        )
        assert created.status_code == 201, created.text
    found: dict[str, Any] = created.json()
    return found


def registration(cohort_id: str, name: str, role: str, **fields: Any) -> dict[str, Any]:
    body = {
        "cohort_id": cohort_id, "role": role, "name": name,
        "email": f"{name.split()[0].lower()}.{uuid.uuid4().hex[:6]}@example.org",
        "job_title": "Leader", "leadership_level": 4 if role == "mentor" else 2, "years_experience": 6,
        "industry": "energy", "function": "operations", "languages": ["da", "en"], "region": "midtjylland",
        "meeting_preference": "either", "themes": ["strategy", "change_management"],
        "expectations": "A fresh view from outside", "consent": True, **fields,
    }  # fmt: skip
    if role == "mentor":
        body.setdefault("capacity", 1)
    return body


def register(stack: Stack, who: Company, body: dict[str, Any]) -> dict[str, Any]:
    with stack.api("intake", who.key) as api:
        answer = api.post("/v1/participants", json=body)
        assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def people_of(stack: Stack, who: Company, cohort_id: str) -> list[dict[str, Any]]:
    """Every one of the company's participants in the cohort, as intake holds them (page by page)."""
    items: list[dict[str, Any]] = []
    cursor = None
    with stack.api("intake", who.key) as api:
        while True:
            params = {"cohort_id": cohort_id, "limit": 500, **({"cursor": cursor} if cursor else {})}
            answer = api.get("/v1/participants", params=params)
            assert answer.status_code == 200, answer.text
            items += answer.json()["items"]
            cursor = answer.json()["next_cursor"]
            if not cursor:
                return items


@dataclass(frozen=True)
class Pair:
    pair_id: str
    cohort_id: str
    mentee: dict[str, Any]
    mentor: dict[str, Any]
    mentee_company: Company
    mentor_company: Company
    tokens: dict[str, str]


def matched_pair(stack: Stack, mentee_name: str, mentor_name: str) -> Pair:
    """One mentee and one mentor from two companies in a fresh cohort, matched, approved, known to
    sessions (with names and companies), and their personal tokens issued."""
    a, b = company(stack, "Nordvind Energi"), company(stack, "Fjordbank")
    found = cohort(stack)
    cohort_id = found["cohort_id"]
    mentee = register(stack, a, registration(cohort_id, mentee_name, "mentee"))
    mentor = register(stack, b, registration(cohort_id, mentor_name, "mentor"))
    with stack.api("matching") as matching, stack.api("sessions") as sessions:

        def in_pool() -> bool:
            answer = matching.get(f"/v1/cohorts/{cohort_id}")
            return answer.status_code == 200 and (answer.json()["mentees"], answer.json()["mentors"]) == (
                1,
                1,
            )

        eventually(in_pool)
        run = matching.post(f"/v1/cohorts/{cohort_id}/runs")
        assert run.status_code in (200, 201), run.text
        approved = matching.post(f"/v1/runs/{run.json()['run_id']}/approve")
        assert approved.status_code == 200, approved.text

        def known() -> str | None:
            listed = sessions.get("/v1/pairs", params={"cohort_id": cohort_id}).json()
            return (
                listed[0]["pair_id"]
                if listed and listed[0]["mentee_name"] and listed[0]["mentor_name"]
                else None
            )

        pair_id = eventually(known)
        issued = sessions.post(f"/v1/pairs/{pair_id}/tokens")
        assert issued.status_code == 201, issued.text
        tokens = {t["role"]: t["token"] for t in issued.json()["tokens"]}

        def with_companies() -> bool:
            answer = sessions.get(f"/v1/pairs/{pair_id}")
            return all(m["company"] for m in answer.json().get("members", []))

        eventually(with_companies)
    return Pair(pair_id, cohort_id, mentee, mentor, a, b, tokens)
