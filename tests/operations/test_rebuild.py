"""Every consuming service rebuilds its projections from the log while it runs, and the rebuild equals
what incremental processing built; a service that consumes nothing says there is nothing to rebuild.
Real broker, real PostgreSQL (reporting's own rebuild test is in tests/reporting/test_rebuild.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import asyncpg

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.matching.store.rebuild import PROJECTION_TABLES as MATCHING_TABLES
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from services.sessions.store.rebuild import PROJECTION_TABLES as SESSIONS_TABLES
from services.web.app import create_app as web_app
from services.web.settings import WebSettings
from shared.events import CompanyRegistered, Event, ParticipantProfileUpdated, ParticipantRegistered
from tests.matching.support import cohort_opened, company, profile, registered, withdrawn
from tests.operations.support import mentornet, serve_http
from tests.sessions.support import pair_ended, pair_matched, session_body
from tests.support.events import publish
from tests.support.services import eventually, run_service

ADMIN = "staff-token-for-rebuild-tests"
STAFF = {"Authorization": f"Bearer {ADMIN}"}
IGNORED = {"updated_at"}  # when a row was last written, not what it says


async def rows(pool: asyncpg.Pool, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    async with pool.acquire() as conn:
        for table in tables:
            records = await conn.fetch(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608
            found[table] = [tuple(v for k, v in r.items() if k not in IGNORED) for r in records]
        found["processed"] = sorted(r[0] for r in await conn.fetch("SELECT event_id FROM processed_events"))
    return found


async def processed(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events"))


def intake_history() -> list[Event]:
    """A cohort, two companies, people registered, one updated, one withdrawn, and one event repeated."""
    cohort_id = uuid.uuid4()
    acme, fjord = company("Acme"), company("Fjord")
    anna = registered(cohort_id, acme.company_id, "mentee", "Anna")
    bo = registered(cohort_id, acme.company_id, "mentee", "Bo")
    carl = registered(cohort_id, fjord.company_id, "mentor", "Carl")
    anna_later = ParticipantProfileUpdated(
        **anna.model_dump(exclude={"event_id", "event_type", "occurred_at", "profile"}),
        profile=profile(leadership_level=3, languages=("en",)),
        occurred_at=anna.occurred_at + timedelta(minutes=5),
    )
    return [cohort_opened(cohort_id, "2027"), acme, fjord, anna, bo, carl, anna_later, withdrawn(bo), carl]


async def test_matching_rebuild_equals_incremental_and_keeps_its_own_decisions(make_settings):
    settings = await make_settings(MatchingSettings, admin_token=ADMIN, rebuild_idle_ms=300)
    app = matching_app(settings)
    history = intake_history()
    cohort_id = history[0].cohort_id  # type: ignore[attr-defined]
    async with run_service(app) as client:
        pool = app.state.runtime.pool
        await publish(settings, history)
        await eventually(lambda: processed(pool), equals=8, timeout_s=30)
        chosen = {"fairness": True, "industry_preference": "same"}
        answer = await client.put(f"/v1/cohorts/{cohort_id}/settings", headers=STAFF, json=chosen)
        assert answer.status_code == 200, answer.text
        incremental = await rows(pool, (*MATCHING_TABLES, "cohorts"))
        assert len(incremental["participants"]) == 3 and incremental["cohorts"][0][1] == "2027"

        async with pool.acquire() as conn:  # damage the projection: the rebuild must repair it
            await conn.execute("DELETE FROM companies; UPDATE participants SET withdrawn = false")
            await conn.execute("UPDATE cohorts SET name = 'wrong'")
        assert await rows(pool, (*MATCHING_TABLES, "cohorts")) != incremental

        assert (await client.post("/v1/rebuild")).status_code == 401
        answer = await client.post("/v1/rebuild", headers=STAFF)
        assert answer.status_code == 200, answer.text
        assert answer.json() | {"seconds": 0} == {
            "read": 9,
            "applied": 8,
            "duplicates": 1,
            "skipped": 0,
            "dead_lettered": 0,
            "seconds": 0,
        }
        rebuilt = await rows(pool, (*MATCHING_TABLES, "cohorts"))
        assert rebuilt == incremental  # the staff's cohort settings survived: they are matching's own
        assert (await client.get(f"/v1/cohorts/{cohort_id}/settings", headers=STAFF)).json()["fairness"]

        # the live consumer carries on after the rebuild
        late = registered(cohort_id, history[1].company_id, "mentee", "Dan")  # type: ignore[attr-defined]
        await publish(settings, [late])
        await eventually(lambda: processed(pool), equals=9, timeout_s=30)


async def test_sessions_rebuild_equals_incremental_while_sessions_refer_to_its_pairs(make_settings):
    settings = await make_settings(SessionsSettings, admin_token=ADMIN, rebuild_idle_ms=300)
    app = sessions_app(settings)
    first, second = pair_matched(60), pair_matched(30)
    names = [
        ParticipantRegistered(**{**registered(first.cohort_id, first.mentee_company_id, "mentee", "Ea")
                                 .model_dump(exclude={"participant_id"}), "participant_id": first.mentee_id}),
        CompanyRegistered(company_id=first.mentee_company_id, name="Acme", hr_contact_name="Hanne",
                          hr_contact_email="hr@acme.example", producer="intake"),
    ]  # fmt: skip
    history: list[Event] = [
        first,
        second,
        *names,
        pair_ended(second, second.occurred_at.date() + timedelta(days=9)),
    ]
    async with run_service(app) as client:
        pool = app.state.runtime.pool
        await publish(settings, history)
        await publish(settings, history[:2])  # sent again, as after a broker restart
        await eventually(lambda: processed(pool), equals=5, timeout_s=30)
        tokens = await client.post(f"/v1/pairs/{first.pair_id}/tokens", headers=STAFF)
        assert tokens.status_code == 201, tokens.text
        member = {t["role"]: t["token"] for t in tokens.json()["tokens"]}["mentee"]
        logged = await client.post(
            f"/v1/pairs/{first.pair_id}/sessions",
            headers={"Authorization": f"Bearer {member}"},
            json=session_body(notes="between the two of us"),
        )
        assert logged.status_code == 201, logged.text
        own = ("sessions", "member_tokens", "session_notes")
        incremental = await rows(pool, (*SESSIONS_TABLES, *own))
        assert len(incremental["pairs"]) == 2 and len(incremental["sessions"]) == 1

        async with pool.acquire() as conn:  # damage the projections: the rebuild must repair them
            await conn.execute("DELETE FROM companies; UPDATE pairs SET ended_on = NULL")
        assert await rows(pool, (*SESSIONS_TABLES, *own)) != incremental

        answer = await client.post("/v1/rebuild", headers=STAFF)
        assert answer.status_code == 200, answer.text
        assert answer.json() | {"seconds": 0} == {
            "read": 7,
            "applied": 5,
            "duplicates": 2,
            "skipped": 0,
            "dead_lettered": 0,
            "seconds": 0,
        }
        assert await rows(pool, (*SESSIONS_TABLES, *own)) == incremental
        view = await client.get(
            f"/v1/pairs/{first.pair_id}/sessions", headers={"Authorization": f"Bearer {member}"}
        )
        assert view.status_code == 200 and view.json()[0]["notes"] == "between the two of us"


async def test_a_service_that_consumes_nothing_says_there_is_nothing_to_rebuild(make_settings):
    settings = await make_settings(WebSettings, admin_token=ADMIN)
    async with run_service(web_app(settings)) as client:
        answer = await client.post("/v1/rebuild", headers=STAFF)
    assert answer.status_code == 200, answer.text
    assert answer.json()["read"] == 0
    assert answer.json()["note"] == "web consumes no topic: its state is its own, there is nothing to rebuild"


async def test_intake_rebuilds_its_reminder_projection_of_pairs_and_sessions(make_settings):
    """Intake consumes matching's and sessions' topics for its reminders: a rebuild empties that projection
    (never its own records: reminders decided, opt-outs) and reads it back."""
    settings = await make_settings(IntakeSettings, admin_token=ADMIN, rebuild_idle_ms=300)
    app = intake_app(settings)
    async with run_service(app) as client:
        await publish(settings, [pair_matched()])
        pool = app.state.runtime.pool

        async def pairs() -> int:
            async with pool.acquire() as conn:
                return int(await conn.fetchval("SELECT count(*) FROM reminder_pairs"))

        await eventually(pairs, equals=1, timeout_s=30)
        answer = await client.post("/v1/rebuild", headers=STAFF)
        assert answer.status_code == 200, answer.text
        assert answer.json()["applied"] == 1 and await pairs() == 1


async def test_the_rebuild_command_asks_the_running_service(make_settings):
    matching_settings = await make_settings(MatchingSettings, admin_token=ADMIN, rebuild_idle_ms=300)
    web_settings = await make_settings(WebSettings, admin_token=ADMIN)
    matching = matching_app(matching_settings)
    async with serve_http(matching) as matching_url, serve_http(web_app(web_settings)) as web_url:
        await publish(matching_settings, intake_history())
        await eventually(lambda: processed(matching.state.runtime.pool), equals=8, timeout_s=30)
        done = await mentornet(matching_settings, "rebuild", "matching", f"--url=matching={matching_url}")
        assert done.startswith("matching rebuilt from 9 records: 8 events applied, 1 duplicates, 0 skipped")
        nothing = await mentornet(web_settings, "rebuild", "web", f"--url=web={web_url}")
        assert nothing.strip() == "web consumes no topic: its state is its own, there is nothing to rebuild"
        refused = await mentornet(
            matching_settings,
            "rebuild",
            "matching",
            f"--url=matching={matching_url}",
            "--token=wrong",
            expect=1,
        )
        assert refused == ""
