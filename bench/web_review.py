"""The web app's matching review page for a 1,000 × 1,000 cohort: how long a coordinator waits for it.

The whole stack runs as processes (intake, matching, sessions, reporting, web) on an embedded PostgreSQL
and broker, as `mentornet run` starts it. 20 partner companies import 50 mentees and 50 mentors each
through intake's import API; once matching's projection holds all 2,000, a run is started and the review
page `GET /staff/runs/{run_id}` is fetched signed in as staff, the way a browser does (server-side
rendering: the HTML is complete when it arrives). The floor is matching's own JSON for the same run,
which the page needs anyway.

    .venv/bin/python -m bench.web_review [--mentees 1000] [--mentors 1000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings

ADMIN = "bench-web-admin"
STAFF = {"Authorization": f"Bearer {ADMIN}"}
COMPANIES = 20
THEMES = ("strategy", "communication", "change_management", "first_time_manager", "team_development",
          "conflict_handling", "decision_making", "stakeholder_management")  # fmt: skip
REGIONS = ("hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland")
INDUSTRIES = ("energy", "finance", "retail", "it_software", "pharma_biotech", "transport_logistics")


def person(rng: random.Random, role: str, n: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "role": role,
        "external_ref": f"{role}-{n}",
        "name": f"{role.title()} {n}",
        "email": f"{role}{n}@bench.example",
        "job_title": "Leader",
        "leadership_level": rng.randint(1, 2) if role == "mentee" else rng.randint(3, 5),
        "years_experience": rng.randint(2, 25),
        "industry": rng.choice(INDUSTRIES),
        "function": rng.choice(("operations", "finance", "hr", "it", "sales")),
        "languages": rng.choice((["da"], ["da", "en"], ["en"])),
        "region": rng.choice(REGIONS),
        "meeting_preference": rng.choice(("in_person", "online", "either")),
        "themes": rng.sample(THEMES, 3),
        "expectations": "A view from outside",
        "consent": True,
    }
    if role == "mentor":
        body["capacity"] = 1
    return body


def wait_for(check, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("matching never saw the whole cohort")
        time.sleep(0.5)


def timed(fetch, repeats: int) -> list[float]:
    fetch()  # warm: connections, caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fetch()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-bench-web-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    stack = EmbeddedStack(StackSettings(data_dir=data_dir, admin_token=ADMIN, **ports))
    stack.start(progress=lambda _: None)
    try:
        run(stack, args.mentees, args.mentors, args.repeats)
    finally:
        stack.stop(progress=lambda _: None)


def run(stack: EmbeddedStack, mentees: int, mentors: int, repeats: int) -> None:
    url = {name: f"http://127.0.0.1:{stack.settings.port_of(name)}" for name in SERVICES}
    rng = random.Random(10)
    intake = httpx.Client(base_url=url["intake"], timeout=120)
    today = date.today()
    window = {
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=30)),
    }
    cohort = intake.post("/v1/cohorts", headers=STAFF, json={"name": "Bench", **window}).json()["cohort_id"]
    started = time.perf_counter()
    for c in range(COMPANIES):
        company = intake.post(
            "/v1/companies",
            headers=STAFF,
            json={
                "name": f"Company {c}",
                "hr_contact_name": "HR",
                "hr_contact_email": f"hr{c}@bench.example",
            },
        ).json()["company_id"]
        key = intake.post(f"/v1/companies/{company}/api-keys", headers=STAFF, json={}).json()["api_key"]
        rows = [person(rng, "mentee", n) for n in range(c, mentees, COMPANIES)]
        rows += [person(rng, "mentor", n) for n in range(c, mentors, COMPANIES)]
        answer = intake.post(
            f"/v1/cohorts/{cohort}/imports", headers={"Authorization": f"Bearer {key}"}, json=rows
        )
        assert answer.status_code == 200 and answer.json()["rejected"] == 0, answer.text[:500]
    matching = httpx.Client(base_url=url["matching"], headers=STAFF, timeout=120)

    def complete() -> bool:
        answer = matching.get(f"/v1/cohorts/{cohort}")
        return answer.status_code == 200 and (answer.json()["mentees"], answer.json()["mentors"]) == (
            mentees,
            mentors,
        )

    wait_for(complete)
    registered = time.perf_counter() - started
    started = time.perf_counter()
    run_answer = matching.post(f"/v1/cohorts/{cohort}/runs").json()
    solved = time.perf_counter() - started
    run_id = run_answer["run_id"]

    web = httpx.Client(base_url=url["web"], timeout=120)
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/sign-in").text)
    assert token is not None
    assert web.post("/sign-in", data={"csrf_token": token.group(1), "secret": ADMIN}).status_code == 303
    page = web.get(f"/staff/runs/{run_id}")
    assert page.status_code == 200 and page.text.count("<tr") > len(run_answer["proposals"]), page.status_code

    page_times = timed(lambda: web.get(f"/staff/runs/{run_id}").raise_for_status(), repeats)
    floor_times = timed(lambda: matching.get(f"/v1/runs/{run_id}").raise_for_status(), repeats)
    page_median, floor_median = statistics.median(page_times), statistics.median(floor_times)
    companies = [c["company_id"] for c in intake.get("/v1/companies", headers=STAFF).json()]

    def mentors_from_intake() -> None:
        async def fetch_all() -> None:
            async with httpx.AsyncClient(base_url=url["intake"], headers=STAFF, timeout=120) as client:
                params = {"cohort_id": cohort, "status": "active", "role": "mentor", "limit": 500}
                await asyncio.gather(
                    *(client.get(f"/v1/companies/{c}/participants", params=params) for c in companies)
                )

        asyncio.run(fetch_all())

    parts = {
        "matching GET run": floor_median,
        "matching GET cohort": statistics.median(
            timed(lambda: matching.get(f"/v1/cohorts/{cohort}"), repeats)
        ),
        "matching GET runs": statistics.median(
            timed(lambda: matching.get(f"/v1/cohorts/{cohort}/runs"), repeats)
        ),
        f"intake: the mentors of {len(companies)} companies": statistics.median(
            timed(mentors_from_intake, repeats)
        ),
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"cohort: {mentees} mentees × {mentors} mentors from {COMPANIES} companies "
          f"(imported and seen by matching in {registered:.1f} s); run solved in {solved:.2f} s: "
          f"{len(run_answer['proposals'])} pairs proposed, {len(run_answer['unmatched'])} unmatched")  # fmt: skip
    print(f"review page GET /staff/runs/{{id}}: median {page_median * 1000:.0f} ms, "
          f"max {max(page_times) * 1000:.0f} ms over {repeats}; {len(page.content) / 1024:.0f} KiB of HTML "
          f"(target < 1000 ms)")  # fmt: skip
    print(f"floor: matching's JSON for the run, median {floor_median * 1000:.0f} ms "
          f"({len(matching.get(f'/v1/runs/{run_id}').content) / 1024:.0f} KiB); "
          f"page / floor = {page_median / floor_median:.1f}")  # fmt: skip
    print(
        "the calls the page makes, each alone: "
        + "; ".join(f"{k} {v * 1000:.0f} ms" for k, v in parts.items())
    )


if __name__ == "__main__":
    main()
