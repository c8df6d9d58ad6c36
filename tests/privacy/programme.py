"""A small real programme for the erasure tests: two companies, a mentee and a mentor in each, matched
across companies, a session with private notes in each pair. One mentee (Mette) is the one erased; the
others are kept, so every search can also show it finds what is still there."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from tests.support.services import eventually, run_service

ADMIN_TOKEN = "staff-token-for-privacy"
STAFF = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
FACTORIES = {
    "intake": intake_app,
    "matching": matching_app,
    "sessions": sessions_app,
    "reporting": reporting_app,
}
KINDS: dict[str, type[ServiceSettings]] = {
    "intake": IntakeSettings,
    "matching": MatchingSettings,
    "sessions": SessionsSettings,
    "reporting": ReportingSettings,
}


@dataclass
class Person:
    """One participant and the strings that are theirs alone."""

    name: str
    email: str
    job_title: str
    expectations: str
    themes_free_text: str
    participant_id: str = ""

    @property
    def strings(self) -> list[str]:
        return [self.name, self.email, self.job_title, self.expectations, self.themes_free_text]


@dataclass
class Programme:
    settings: dict[str, ServiceSettings]
    apps: dict[str, FastAPI]
    clients: dict[str, httpx.AsyncClient]
    cohort_id: str = ""
    erased: Person | None = None
    kept: list[Person] = field(default_factory=list)
    erased_notes: str = ""
    kept_notes: str = ""
    erased_texts: list[str] = field(default_factory=list)  # the year's free text: agreement, evaluation
    kept_texts: list[str] = field(default_factory=list)
    end_reason: str = ""  # staff's free text ending the kept pair: in no log line
    erased_pair: str = ""
    kept_pair: str = ""
    member_tokens: dict[str, str] = field(default_factory=dict)  # pair id -> the mentee's token
    mentor_tokens: dict[str, str] = field(default_factory=dict)  # pair id -> the mentor's token

    def runtime(self, name: str) -> ServiceRuntime:
        runtime: ServiceRuntime = self.apps[name].state.runtime
        return runtime


async def service_settings(make_settings: Any, **overrides: Any) -> dict[str, ServiceSettings]:
    return {
        name: await make_settings(kind, admin_token=ADMIN_TOKEN, rebuild_idle_ms=500, **overrides)
        for name, kind in KINDS.items()
    }


@asynccontextmanager
async def running(settings: dict[str, ServiceSettings]) -> AsyncIterator[Programme]:
    apps = {name: FACTORIES[name](settings[name]) for name in FACTORIES}  # type: ignore[operator]
    async with AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(run_service(app)) for name, app in apps.items()}
        yield Programme(settings, apps, clients)


def person(first: str, tag: str) -> Person:
    return Person(
        name=f"{first} Privat{tag}",
        email=f"{first.lower()}.{tag}@example.org",
        job_title=f"Head of {first}{tag}",
        expectations=f"{first} hopes for {tag} growth",
        themes_free_text=f"{first} theme {tag}",
    )


def _registration(cohort_id: str, who: Person, role: str) -> dict[str, Any]:
    body = {
        "cohort_id": cohort_id, "role": role, "name": who.name, "email": who.email,
        "job_title": who.job_title, "leadership_level": 4 if role == "mentor" else 2, "years_experience": 6,
        "industry": "energy", "function": "operations", "languages": ["da", "en"], "region": "midtjylland",
        "meeting_preference": "either", "themes": ["strategy"], "themes_free_text": who.themes_free_text,
        "expectations": who.expectations, "consent": True,
    }  # fmt: skip
    if role == "mentor":
        body["capacity"] = 1
    return body


async def build(p: Programme) -> None:
    """Registered -> matched -> a session with notes in each pair, all seen by reporting."""
    tag = uuid.uuid4().hex[:8]
    intake, matching, sessions = p.clients["intake"], p.clients["matching"], p.clients["sessions"]
    today = date.today()
    cohort = await intake.post(
        "/v1/cohorts",
        headers=STAFF,
        json={
            "name": f"Privacy {tag}",
            "intake_opens_on": str(today - timedelta(days=30)),
            "intake_closes_on": str(today + timedelta(days=30)),
        },  # fmt: skip
    )
    assert cohort.status_code == 201, cohort.text
    p.cohort_id = cohort.json()["cohort_id"]
    mette, jens, sara, dorte = (person(n, tag) for n in ("Mette", "Jens", "Sara", "Dorte"))
    p.erased, p.kept = mette, [jens, sara, dorte]
    for company, people in (("Nordvind", [(mette, "mentee"), (jens, "mentor")]),
                            ("Fjordbank", [(sara, "mentee"), (dorte, "mentor")])):  # fmt: skip
        created = await intake.post(
            "/v1/companies",
            headers=STAFF,
            json={
                "name": f"{company} {tag}",
                "hr_contact_name": f"HR {company}",
                "hr_contact_email": "hr@example.org",
            },
        )
        assert created.status_code == 201, created.text
        key = await intake.post(
            f"/v1/companies/{created.json()['company_id']}/api-keys", headers=STAFF, json={}
        )
        auth = {"Authorization": f"Bearer {key.json()['api_key']}", "Idempotency-Key": ""}
        for who, role in people:
            auth["Idempotency-Key"] = f"reg-{who.name}"  # its stored answer holds the person's details
            answer = await intake.post(
                "/v1/participants", headers=auth, json=_registration(p.cohort_id, who, role)
            )
            assert answer.status_code == 201, answer.text
            who.participant_id = answer.json()["participant_id"]

    async def pool_is_in() -> bool:
        answer = await matching.get(f"/v1/cohorts/{p.cohort_id}", headers=STAFF)
        return answer.status_code == 200 and (answer.json()["mentees"], answer.json()["mentors"]) == (2, 2)

    await eventually(pool_is_in, timeout_s=30)
    run = await matching.post(f"/v1/cohorts/{p.cohort_id}/runs", headers=STAFF)
    assert run.status_code == 201 and len(run.json()["proposals"]) == 2, run.text
    approved = await matching.post(f"/v1/runs/{run.json()['run_id']}/approve", headers=STAFF)
    assert approved.status_code == 200, approved.text
    for pair in approved.json()["pairs"]:
        if pair["mentee_id"] == mette.participant_id:
            p.erased_pair = pair["pair_id"]
        else:
            p.kept_pair = pair["pair_id"]
    p.erased_notes, p.kept_notes = f"NOTES-of-Mette-{tag}", f"NOTES-kept-{tag}"
    for pair_id, notes in ((p.erased_pair, p.erased_notes), (p.kept_pair, p.kept_notes)):

        async def tokens(pair_id: str = pair_id) -> httpx.Response | None:
            answer = await sessions.post(f"/v1/pairs/{pair_id}/tokens", headers=STAFF)
            return answer if answer.status_code == 201 else None

        issued = await eventually(tokens, timeout_s=30)
        mentee = next(t["token"] for t in issued.json()["tokens"] if t["role"] == "mentee")
        p.member_tokens[pair_id] = mentee
        p.mentor_tokens[pair_id] = next(t["token"] for t in issued.json()["tokens"] if t["role"] == "mentor")
        logged = await sessions.post(
            f"/v1/pairs/{pair_id}/sessions",
            headers={"Authorization": f"Bearer {mentee}"},
            json={
                "held_on": str(today),
                "start_time": "00:00",
                "duration_minutes": 60,
                "format": "online",
                "tools": ["coaching"],
                "notes": notes,
            },  # fmt: skip
        )
        assert logged.status_code == 201, logged.text
    await year_free_text(p, tag)
    p.end_reason = f"REASON-kept-pair-{tag}"
    ended = await matching.post(f"/v1/pairs/{p.kept_pair}/end", headers=STAFF, json={"reason": p.end_reason})
    assert ended.status_code == 200, ended.text
    await eventually(lambda: staff_figures(p), equals=EXPECTED, timeout_s=30)


async def year_free_text(p: Programme, tag: str) -> None:
    """Mette records her pair's agreement (its terms are free text) and both mentees answer the midpoint
    evaluation with what it gave them, what to improve and a consented quote."""
    sessions, today = p.clients["sessions"], date.today()
    mette = {"Authorization": f"Bearer {p.member_tokens[p.erased_pair]}"}
    terms = f"TERMS-of-Mette-{tag}"
    agreement = await sessions.put(
        f"/v1/pairs/{p.erased_pair}/agreement",
        headers=mette,
        json={"frequency": "monthly", "terms": terms, "confidentiality_confirmed": True},
    )
    assert agreement.status_code == 200, agreement.text
    opened = await sessions.post(
        f"/v1/cohorts/{p.cohort_id}/evaluations",
        headers=STAFF,
        json={"kind": "midpoint", "opens_on": str(today), "closes_on": str(today + timedelta(days=7))},
    )
    assert opened.status_code == 201, opened.text
    scores = {"expectations_met": 4, "learning": 5, "openness": 5, "programme": 4}
    for pair_id, whose, texts in (
        (p.erased_pair, "Mette", p.erased_texts),
        (p.kept_pair, "Sara", p.kept_texts),
    ):
        said = {k: f"{k.upper()}-of-{whose}-{tag}" for k in ("gave", "improve", "quote")}
        answer = await sessions.post(
            f"/v1/pairs/{pair_id}/evaluations/{opened.json()['evaluation_id']}/answer",
            headers={"Authorization": f"Bearer {p.member_tokens[pair_id]}"},
            json={**said, "scores": scores, "quote_consent": True},
        )
        assert answer.status_code == 201, answer.text
        texts += said.values()
    p.erased_texts.append(terms)


EXPECTED = {"participants": 4, "mentees": 2, "mentors": 2, "pairs": 2, "sessions": 2, "hours": 2.0}


async def staff_figures(p: Programme, client: httpx.AsyncClient | None = None) -> dict[str, Any]:
    answer = await (client or p.clients["reporting"]).get(
        f"/api/programme/cohorts/{p.cohort_id}", headers=STAFF
    )
    if answer.status_code != 200:
        return {}
    values = {row["figure"]: row["value"] for row in answer.json()["tables"]["summary"]["rows"]}
    return {figure: values.get(figure) for figure in EXPECTED}


async def names_seen(p: Programme) -> dict[str, set[str]]:
    """The names each service shows for the programme's two pairs."""
    matching = await p.clients["matching"].get(f"/v1/cohorts/{p.cohort_id}/pairs", headers=STAFF)
    sessions = await p.clients["sessions"].get(f"/v1/pairs?cohort_id={p.cohort_id}", headers=STAFF)
    return {
        "matching": {pair[f"{role}_name"] for pair in matching.json() for role in ("mentee", "mentor")},
        "sessions": {pair[f"{role}_name"] for pair in sessions.json() for role in ("mentee", "mentor")},
    }


async def all_published(runtime: ServiceRuntime) -> None:
    async def pending() -> int:
        async with runtime.pool.acquire() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))

    await eventually(pending, equals=0, timeout_s=30)
