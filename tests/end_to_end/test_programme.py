"""A whole programme through the four real services, talking only through the broker:
companies register their people, staff match and approve, pairs log sessions, one pair ends,
and the dashboards say exactly that."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tests.end_to_end.system import STAFF, running_system
from tests.support.services import eventually

ZONE = ZoneInfo("Europe/Copenhagen")

# company -> [(name, role, capacity)]; every mentee can only be matched across companies
PEOPLE = {
    "Nordvind Energi": [
        ("Mette Jensen", "mentee", None),
        ("Ali Khan", "mentee", None),
        ("Jens Holm", "mentor", 1),
    ],
    "Fjordbank": [("Sara Lund", "mentee", None), ("Dorte Friis", "mentor", 2)],
    "Lindholm Byg": [("Carl Berg", "mentee", None), ("Erik Skov", "mentor", 1)],
}


def registration(cohort_id: str, name: str, role: str, capacity: int | None, n: int) -> dict:
    body = {
        "cohort_id": cohort_id, "role": role, "name": name, "email": f"person{n}@example.org",
        "job_title": "Leader", "leadership_level": 4 if role == "mentor" else 2, "years_experience": 6,
        "industry": "energy", "function": "operations", "languages": ["da", "en"], "region": "midtjylland",
        "meeting_preference": "either", "themes": ["strategy", "change_management"],
        "expectations": "A fresh view from outside", "consent": True,
    }  # fmt: skip
    if capacity:
        body["capacity"] = capacity
    return body


def figures(report: dict) -> dict:
    return {row["figure"]: row["value"] for row in report["tables"]["summary"]["rows"]}


async def test_a_programme_from_registration_to_dashboard(make_settings):
    async with running_system(make_settings) as system:
        today = date.today()
        cohort = (
            await system.intake.post(
                "/v1/cohorts",
                headers=STAFF,
                json={
                    "name": "2027",
                    "intake_opens_on": str(today - timedelta(days=30)),
                    "intake_closes_on": str(today + timedelta(days=30)),
                },  # fmt: skip
            )
        ).json()["cohort_id"]

        keys, company_of, n = {}, {}, 0
        for company, people in PEOPLE.items():
            contact = {"hr_contact_name": f"HR of {company}", "hr_contact_email": "hr@example.org"}
            created = await system.intake.post(
                "/v1/companies", headers=STAFF, json={"name": company, **contact}
            )
            assert created.status_code == 201, created.text
            company_id = created.json()["company_id"]
            key = await system.intake.post(f"/v1/companies/{company_id}/api-keys", headers=STAFF, json={})
            keys[company] = {"Authorization": f"Bearer {key.json()['api_key']}"}
            for name, role, capacity in people:
                n += 1
                answer = await system.intake.post(
                    "/v1/participants",
                    headers=keys[company],
                    json=registration(cohort, name, role, capacity, n),
                )
                assert answer.status_code == 201, answer.text
                company_of[answer.json()["participant_id"]] = company

        async def pool() -> tuple[int, int]:
            answer = await system.matching.get(f"/v1/cohorts/{cohort}", headers=STAFF)
            return (
                (answer.json()["mentees"], answer.json()["mentors"]) if answer.status_code == 200 else (0, 0)
            )

        await eventually(pool, equals=(4, 3), timeout_s=30)
        run = (await system.matching.post(f"/v1/cohorts/{cohort}/runs", headers=STAFF)).json()
        assert run["objective"]["matched"] == 4 and run["unmatched"] == []
        for proposal in run["proposals"]:
            assert company_of[proposal["mentee_id"]] != company_of[proposal["mentor_id"]]
        approved = await system.matching.post(f"/v1/runs/{run['run_id']}/approve", headers=STAFF)
        assert approved.status_code == 200, approved.text

        async def pairs() -> list[dict]:
            listed = (await system.sessions.get(f"/v1/pairs?cohort_id={cohort}", headers=STAFF)).json()
            return listed if len(listed) == 4 and all(p["mentee_name"] for p in listed) else []

        sessions_pairs = await eventually(pairs, timeout_s=30)
        logged_sessions = []
        for minutes, pair in zip((60, 90, 120), sessions_pairs[:3], strict=True):
            tokens = (await system.sessions.post(f"/v1/pairs/{pair['pair_id']}/tokens", headers=STAFF)).json()
            mentee = next(t["token"] for t in tokens["tokens"] if t["role"] == "mentee")
            logged = await system.sessions.post(
                f"/v1/pairs/{pair['pair_id']}/sessions",
                headers={"Authorization": f"Bearer {mentee}"},
                json={
                    "held_on": str(date.today()),
                    "start_time": "00:00",
                    "duration_minutes": minutes,
                    "format": "online",
                    "tools": ["coaching", "sharing_experience"],
                    "rating": 5,
                    "notes": "Between the two of us",
                },  # fmt: skip
            )
            assert logged.status_code == 201, logged.text
            logged_sessions.append((pair["pair_id"], logged.json(), mentee))

        ending = sessions_pairs[3]["pair_id"]
        ended = await system.matching.post(
            f"/v1/pairs/{ending}/end",
            headers=STAFF,
            json={"reason": "mentee changed job", "do_not_rematch": False},
        )
        assert ended.status_code == 200, ended.text

        async def staff_figures() -> dict:
            answer = await system.reporting.get(f"/api/programme/cohorts/{cohort}", headers=STAFF)
            return figures(answer.json()) if answer.status_code == 200 else {}

        expected = {"participants": 7, "mentees": 4, "mentors": 3, "companies": 3, "pairs": 4,
                    "active_pairs": 3, "ended_pairs": 1, "sessions": 3, "hours": 4.5, "withdrawn": 0}  # fmt: skip
        await eventually(lambda: _subset(staff_figures(), expected.keys()), equals=expected, timeout_s=30)

        # A correction reaches reporting: the 60-minute session really lasted 30 minutes.
        pair_id, first, mentee = logged_sessions[0]
        corrected = await system.sessions.put(
            f"/v1/pairs/{pair_id}/sessions/{first['session_id']}",
            headers={"Authorization": f"Bearer {mentee}"},
            json={
                "held_on": first["held_on"],
                "start_time": first["start_time"],
                "duration_minutes": 30,
                "format": "online",
                "tools": ["coaching"],
                "base_version": 1,
            },  # fmt: skip
        )
        assert corrected.status_code == 200, corrected.text
        await eventually(
            lambda: _subset(staff_figures(), ["hours", "sessions"]), equals={"hours": 4.0, "sessions": 3}
        )

        # A withdrawal reaches matching's pool and is counted apart in reporting.
        waiting = next(pid for pid, company in company_of.items() if company == "Lindholm Byg")
        withdrawn = await system.intake.post(
            f"/v1/participants/{waiting}/withdrawal", headers=keys["Lindholm Byg"], json={"reason": "no_time"}
        )
        assert withdrawn.status_code == 200, withdrawn.text
        before = len(company_of)
        await eventually(lambda: _subset(staff_figures(), ["withdrawn", "participants"]),
                         equals={"withdrawn": 1, "participants": before - 1}, timeout_s=30)  # fmt: skip

        async def in_matchings_pool() -> int:
            answer = (await system.matching.get(f"/v1/cohorts/{cohort}", headers=STAFF)).json()
            return answer["mentees"] + answer["mentors"]

        await eventually(in_matchings_pool, equals=before - 1, timeout_s=30)

        nordvind = await system.reporting.get(
            f"/api/company/cohorts/{cohort}", headers=keys["Nordvind Energi"]
        )
        assert nordvind.status_code == 200
        own = figures(nordvind.json())
        assert own["participants"] == 3 and own["mentees"] == "<3" and own["mentors"] == "<3"
        text = nordvind.text
        for other_person in ("Sara Lund", "Dorte Friis", "Carl Berg", "Erik Skov", "Mette Jensen"):
            assert other_person not in text  # a company sees aggregates, never names


async def _subset(awaitable, keys) -> dict:
    values = await awaitable
    return {key: values.get(key) for key in keys}
