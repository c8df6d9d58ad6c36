"""The programme year's free text (agreement terms, what the relation gave, what to improve, quotes)
stays in sessions' own tables: in no topic (read raw), no log line, no other service's database, and
no answer to staff but the consented quote signed by role and year."""

from __future__ import annotations

import logging
import uuid
from contextlib import AsyncExitStack
from datetime import timedelta

import structlog

from services.reporting.app import create_app as create_reporting
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as create_sessions
from services.sessions.settings import SessionsSettings
from tests.sessions.support import ADMIN_TOKEN, STAFF, bearer, matched_pair, session_body, today
from tests.sessions.test_confidentiality import _all_published, _read_every_topic, _where
from tests.support.services import eventually, run_service

SCORES = {"expectations_met": 4, "learning": 5, "openness": 5, "programme": 4}


async def test_free_text_is_found_nowhere_but_in_sessions_own_tables(make_settings, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    marker = f"FREETEXT-{uuid.uuid4().hex}"
    sessions_settings = await make_settings(SessionsSettings, admin_token=ADMIN_TOKEN)
    reporting_settings = await make_settings(ReportingSettings, admin_token=ADMIN_TOKEN)
    with structlog.testing.capture_logs() as logs:
        async with AsyncExitStack() as stack:
            sessions_app, reporting_app = (
                create_sessions(sessions_settings),
                create_reporting(reporting_settings),
            )
            client = await stack.enter_async_context(run_service(sessions_app))
            reporting = await stack.enter_async_context(run_service(reporting_app))
            pair, tokens = await matched_pair(sessions_settings, client)
            mentee, mentor = bearer(tokens["mentee"]), bearer(tokens["mentor"])
            assert (
                await client.post(f"/v1/pairs/{pair.pair_id}/sessions", headers=mentee, json=session_body())
            ).status_code == 201

            agreement = f"/v1/pairs/{pair.pair_id}/agreement"
            body = {"frequency": "monthly", "terms": f"{marker} terms", "confidentiality_confirmed": True}
            assert (await client.put(agreement, headers=mentee, json=body)).status_code == 200
            assert (await client.post(f"{agreement}/confirmation", headers=mentor)).status_code == 200
            refused = await client.put(agreement, headers=mentee, json={**body, "terms": f"{marker}\x00"})
            assert refused.status_code == 422 and marker not in refused.text

            opened = await client.post(
                f"/v1/cohorts/{pair.cohort_id}/evaluations", headers=STAFF,
                json={"kind": "midpoint", "opens_on": today().isoformat(), "closes_on": (today() + timedelta(days=7)).isoformat()},
            )  # fmt: skip
            answer = f"/v1/pairs/{pair.pair_id}/evaluations/{opened.json()['evaluation_id']}/answer"
            texts = {"gave": f"{marker} gave", "improve": f"{marker} improve"}
            quoted = {**texts, "scores": SCORES, "quote": f"{marker} quote", "quote_consent": True}
            assert (await client.post(answer, headers=mentor, json=quoted)).status_code == 201
            unconsented = {**texts, "scores": SCORES, "quote": f"{marker} private quote"}
            assert (await client.post(answer, headers=mentee, json=unconsented)).status_code == 201
            twice = await client.post(answer, headers=mentee, json=unconsented)
            assert twice.status_code == 409 and marker not in twice.text

            staff_answers = [
                await client.get(agreement, headers=STAFF),
                await client.get(f"/v1/cohorts/{pair.cohort_id}/agreements", headers=STAFF),
                await client.get(f"/v1/cohorts/{pair.cohort_id}/evaluations", headers=STAFF),
            ]
            quotes = (await client.get(f"/v1/cohorts/{pair.cohort_id}/quotes", headers=STAFF)).json()

            await _all_published(sessions_app.state.runtime)
            records = await _read_every_topic(sessions_settings)

            async def answers_in_reporting() -> int:
                async with reporting_app.state.runtime.pool.acquire() as conn:
                    return int(await conn.fetchval("SELECT count(*) FROM evaluation_answers"))

            await eventually(answers_in_reporting, equals=2, timeout_s=30)
            year = await reporting.get(
                f"/api/programme/cohorts/{pair.cohort_id}/year", headers=bearer(ADMIN_TOKEN)
            )
            assert year.status_code == 200 and year.json()["agreements"]["confirmed_by_both"] == 1

    event_types = {dict(r.headers or ()).get("event_type", b"").decode() for r in records}
    assert {"AgreementRecorded", "EvaluationOpened", "EvaluationSubmitted"} <= event_types
    for record in records:
        raw = b"".join([record.value or b"", record.key or b"", *(v for _, v in record.headers or ())])
        assert marker.encode() not in raw, record.topic
    assert await _where(reporting_settings.database_url, marker) == []
    assert sorted(await _where(sessions_settings.database_url, marker)) == [
        "public.agreements.terms",
        "public.evaluation_texts.gave",
        "public.evaluation_texts.improve",
        "public.evaluation_texts.quote",
    ]
    for shown in (*staff_answers, year):
        assert shown.status_code == 200 and marker not in shown.text
    assert [q["quote"] for q in quotes] == [f"{marker} quote"]  # the consented one, and only it
    assert "Mentor" in quotes[0]["signed"] and str(pair.mentor_id) not in str(quotes)
    assert logs, "nothing logged: the capture is not working"
    assert [entry for entry in logs if marker in repr(entry)] == []
    assert [
        r.getMessage() for r in caplog.records if marker in r.getMessage() or marker in repr(r.args)
    ] == []
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err
