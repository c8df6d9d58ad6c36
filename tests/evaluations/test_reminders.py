"""Reminders by email through a real SMTP server: intake learns pairs and sessions from the topics,
the rules decide each reminder once, and the embedded aiosmtpd server receives the mails."""

from __future__ import annotations

import asyncio
import re
import ssl
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult
from structlog.testing import capture_logs

from services.intake.app import create_app
from services.intake.service_layer import clock, reminder_sending, reminders
from shared.embedded.ports import free_port
from tests.evaluations.reminders_support import Running, mails, running, self_signed, smtp
from tests.intake.conftest import ADMIN, intake_settings
from tests.operations.support import mentornet, serve_http

__all__ = ["running", "smtp"]

DAY = date(2027, 4, 20)


def _opt_out_token(text: str) -> str:
    found = re.search(r"/reminders/opt-out\?token=(\S+)", text)
    assert found, text
    return found.group(1)


async def test_a_pair_at_risk_mails_both_members_in_their_language_and_staff_once(running: Running):
    pair = await running.pair(
        DAY - timedelta(days=30), mentee_languages=["da", "en"], mentor_languages=["en"]
    )
    with capture_logs() as logs:
        first = await running.run(DAY)
    assert first == {"decided": 3, "sent": 3}

    (to_mentee,) = running.mails_to(pair.mentee["email"])
    assert to_mentee.subject.startswith("Påmindelse")
    assert f"Kære {pair.mentee['name']}" in to_mentee.text
    assert pair.mentor["name"] in to_mentee.text and "30 dage" in to_mentee.text
    assert f"http://web.example/pair/{pair.pair_id}" in to_mentee.text
    assert "Afmeld" in to_mentee.html and f"Kære {pair.mentee['name']}" in to_mentee.html
    (to_mentor,) = running.mails_to(pair.mentor["email"])
    assert to_mentor.subject.startswith("Reminder")
    assert f"Dear {pair.mentor['name']}" in to_mentor.text and "30 days" in to_mentor.text
    assert to_mentor.message["List-Unsubscribe"].startswith("<http://web.example/reminders/opt-out?token=")
    (to_staff,) = running.mails_to(running.settings.staff_email)
    assert to_staff.subject == f"Par i risiko: {pair.mentee['name']} og {pair.mentor['name']}"
    assert "opt-out" not in to_staff.text and "ikke afmeldes" in to_staff.text
    assert f"http://web.example/staff/cohorts/{pair.cohort_id}/pairs/{pair.pair_id}" in to_staff.text

    # running the rules again, that day or later, sends nothing new: once per rule and period
    assert await running.run(DAY) == {"decided": 0, "sent": 0}
    assert await running.run(DAY + timedelta(days=3)) == {"decided": 0, "sent": 0}
    assert len(running.mails_to(pair.mentee["email"])) == 1

    sent = [e for e in await running.events("ReminderSent") if e.pair_id == pair.pair_id]  # type: ignore[attr-defined]
    assert sorted(e.recipient for e in sent) == ["mentee", "mentor", "staff"]  # type: ignore[attr-defined]
    assert {e.rule for e in sent} == {"pair_at_risk"} and {e.period for e in sent} == {"no-first-session"}  # type: ignore[attr-defined]
    # no personal data or free text in the events or the logs: ids, rules, periods and counts only
    said = " ".join(e.model_dump_json() for e in sent) + " ".join(map(str, logs))
    for personal in (
        pair.mentee["name"],
        pair.mentee["email"],
        pair.mentor["name"],
        pair.mentor["email"],
        "@",
    ):
        assert personal not in said
    # the mails carry names, dates and links, never what a participant wrote
    for mail in (to_mentee, to_mentor, to_staff):
        assert pair.mentee["expectations"] not in mail.text + mail.html
        assert pair.mentee["themes_free_text"] not in mail.text + mail.html


async def test_a_new_silence_after_a_session_is_a_new_period_and_an_opted_out_member_is_not_mailed(
    running: Running,
):
    pair = await running.pair(DAY - timedelta(days=100), mentee_languages=["en"], mentor_languages=["da"])
    await running.session(pair, DAY - timedelta(days=90))
    await running.agreement(pair, DAY - timedelta(days=90))
    assert (await running.run(DAY - timedelta(days=40)))["decided"] == 3  # quiet for 50 days
    token = _opt_out_token(running.mails_to(pair.mentee["email"])[0].text)

    answer = await running.client.post("/v1/reminders/opt-out", json={"token": token})
    assert answer.status_code == 200 and answer.json()["opted_out"] is True
    forged = await running.client.post("/v1/reminders/opt-out", json={"token": token[:-3] + "AAA"})
    assert forged.status_code == 422 and forged.json()["detail"][0]["type"] == "invalid_token"
    opted = await running.client.get("/v1/reminders/opt-outs", headers=ADMIN)
    assert [o["name"] for o in opted.json() if o["participant_id"] == pair.mentee["participant_id"]] == [
        pair.mentee["name"]
    ]

    await running.session(pair, DAY - timedelta(days=60))  # they met again, then fell quiet again
    assert await running.run(DAY) == {"decided": 2, "sent": 2}  # the mentor and staff: not the mentee
    assert len(running.mails_to(pair.mentee["email"])) == 1
    assert len(running.mails_to(pair.mentor["email"])) == 2
    listed = (await running.client.get("/v1/reminders", headers=ADMIN)).json()
    mine = [r for r in listed if r["pair_id"] == str(pair.pair_id)]
    assert {(r["recipient"], r["period"]) for r in mine} == {
        ("mentee", f"quiet-since-{(DAY - timedelta(days=90)).isoformat()}"),
        ("mentor", f"quiet-since-{(DAY - timedelta(days=90)).isoformat()}"),
        ("staff", f"quiet-since-{(DAY - timedelta(days=90)).isoformat()}"),
        ("mentor", f"quiet-since-{(DAY - timedelta(days=60)).isoformat()}"),
        ("staff", f"quiet-since-{(DAY - timedelta(days=60)).isoformat()}"),
    }
    assert {r["name"] for r in mine if r["recipient"] == "mentor"} == {pair.mentor["name"]}
    assert {r["name"] for r in mine if r["recipient"] == "staff"} == {None}
    # the mentee's data export holds the reminders decided for her and her opt-out
    exported = await running.client.get(
        f"/v1/participants/{pair.mentee['participant_id']}/export", headers=ADMIN
    )
    held = exported.json()["data"]["reminders"]
    assert [m["rule"] for m in held["mails"]] == ["pair_at_risk"] and held["opted_out"]["via"] == "mail_link"


async def test_a_withdrawn_member_is_not_mailed(running: Running):
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["da"], mentor_languages=["da"])
    withdrawn = await running.client.post(
        f"/v1/participants/{pair.mentor['participant_id']}/withdrawal",
        json={"reason": "left_company"},
        headers={"Authorization": pair.mentor_company["auth"]},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert await running.run(DAY) == {"decided": 2, "sent": 2}
    assert running.mails_to(pair.mentor["email"]) == []


async def test_a_mail_the_server_cannot_take_stays_queued_and_is_sent_once_it_can(running: Running):
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["da"], mentor_languages=["en"])
    before = len(mails(running.maildir))
    running.smtp.stop()
    try:
        assert await running.run(DAY) == {"decided": 3, "sent": 0}
        queued = "SELECT count(*) FROM reminders WHERE pair_id = $1 AND status = 'queued' AND attempts = 1"
        assert await running.count(queued, pair.pair_id) == 1  # it stopped at the first failure
    finally:
        running.smtp.start()
    await asyncio.sleep(0.3)  # the retry wait (mail_retry_s, 0.2 s)
    assert await running.run(DAY) == {"decided": 0, "sent": 3}
    assert len(mails(running.maildir)) == before + 3
    assert (
        await running.count(
            "SELECT count(*) FROM reminders WHERE pair_id = $1 AND status = 'sent'", pair.pair_id
        )
        == 3
    )


async def test_an_agreement_missing_two_weeks_after_the_first_session_mails_both_members(running: Running):
    pair = await running.pair(DAY - timedelta(days=20), mentee_languages=["en"], mentor_languages=["da"])
    await running.session(pair, DAY - timedelta(days=13))
    assert await running.run(DAY) == {"decided": 0, "sent": 0}  # 13 days: not yet
    assert await running.run(DAY + timedelta(days=1)) == {"decided": 2, "sent": 2}
    (to_mentee,) = running.mails_to(pair.mentee["email"])
    assert to_mentee.subject == "Reminder: please record your mentoring agreement"
    assert (DAY - timedelta(days=13)).isoformat() in to_mentee.text
    (to_mentor,) = running.mails_to(pair.mentor["email"])
    assert to_mentor.subject == "Påmindelse: husk jeres samarbejdsaftale"
    await running.agreement(pair, DAY + timedelta(days=2))
    await running.session(pair, DAY + timedelta(days=2))  # a later first session would be a new period
    assert await running.run(DAY + timedelta(days=30)) == {"decided": 0, "sent": 0}


async def test_an_evaluation_not_answered_after_a_week_mails_the_member_who_has_not_answered(
    running: Running,
):
    pair = await running.pair(DAY - timedelta(days=10), mentee_languages=["da"], mentor_languages=["en"])
    await running.session(pair, DAY - timedelta(days=9))
    await running.agreement(pair, DAY - timedelta(days=9))
    evaluation_id = await running.evaluation(
        pair.cohort_id, DAY - timedelta(days=7), DAY + timedelta(days=14)
    )
    await running.answer(evaluation_id, pair, "mentor", DAY - timedelta(days=2))
    assert await running.run(DAY) == {"decided": 1, "sent": 1}
    (to_mentee,) = running.mails_to(pair.mentee["email"])
    assert to_mentee.subject == "Påmindelse: vi mangler dit svar på evalueringen"
    assert (
        "midtvejsevalueringen" in to_mentee.text and (DAY + timedelta(days=14)).isoformat() in to_mentee.text
    )
    assert running.mails_to(pair.mentor["email"]) == []
    assert await running.run(DAY + timedelta(days=1)) == {"decided": 0, "sent": 0}
    (event,) = [e for e in await running.events("ReminderSent") if e.pair_id == pair.pair_id]  # type: ignore[attr-defined]
    assert event.rule == "evaluation_unanswered" and event.period == f"midpoint-evaluation-{evaluation_id}"  # type: ignore[attr-defined]


async def test_mentornet_mails_lists_every_mail_the_server_kept(running: Running):
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["en"], mentor_languages=["en"])
    await running.run(DAY)
    command = [
        str(Path(sys.executable).parent / "mentornet"),
        "mails",
        "--data-dir",
        str(running.maildir.parent),
    ]
    done = await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=60, check=True
    )
    listed = done.stdout.splitlines()
    assert listed[-1] == f"{len(mails(running.maildir))} mail(s) in {running.maildir}"
    (line,) = [row for row in listed if pair.mentee["email"] in row]
    assert "Reminder: it has been a while since your last mentoring session" in line


async def test_two_senders_at_once_send_each_mail_once(running: Running):
    """Instances' mail tasks on one queue: a row is locked by the one sending it and skipped by the others."""
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["da"], mentor_languages=["en"])
    async with running.pool.acquire() as conn:
        assert await reminders.run_rules(conn, running.settings, DAY) == 3  # decided, not yet sent

    async def sender() -> int:
        async with running.pool.acquire() as conn:
            return await reminder_sending.send_queued(conn, running.settings)

    assert sum(await asyncio.gather(sender(), sender(), sender())) == 3
    for address in (pair.mentee["email"], pair.mentor["email"], running.settings.staff_email):
        assert len(running.mails_to(address)) == 1
    assert await running.count("SELECT count(*) FROM outbox WHERE event_type = 'ReminderSent'") == 3


async def test_a_crash_after_the_server_took_the_mail_sends_it_again_with_the_same_message_id(
    running: Running, monkeypatch: pytest.MonkeyPatch
):
    """The documented edge, at least once and never lost: the server accepts a mail, then the process dies
    before the row is marked sent. The row is still queued, so that mail goes again, recognisably the same."""
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["en"], mentor_languages=["en"])
    async with running.pool.acquire() as conn:
        await reminders.run_rules(conn, running.settings, DAY)

    async def crash(*_: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patched:
        patched.setattr(reminder_sending.store, "mark_sent", crash)
        with pytest.raises(RuntimeError):
            async with running.pool.acquire() as conn:
                await reminder_sending.send_one(conn, running.settings)
    assert await running.count("SELECT count(*) FROM reminders WHERE status = 'queued'") == 3
    assert await running.count("SELECT count(*) FROM outbox WHERE event_type = 'ReminderSent'") == 0
    assert (await running.run(DAY))["sent"] == 3

    addresses = (pair.mentee["email"], pair.mentor["email"], running.settings.staff_email)
    received = [m for a in addresses for m in running.mails_to(a)]
    per_id: dict[str, int] = {}
    for mail in received:
        per_id[mail.message["Message-ID"]] = per_id.get(mail.message["Message-ID"], 0) + 1
    assert sorted(per_id.values()) == [
        1,
        1,
        2,
    ]  # three mails, none lost; the one taken before the crash twice
    assert await running.count("SELECT count(*) FROM outbox WHERE event_type = 'ReminderSent'") == 3


async def test_an_erased_member_is_not_mailed_not_even_a_mail_queued_before_the_erasure(running: Running):
    pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["da"], mentor_languages=["en"])
    async with running.pool.acquire() as conn:
        assert await reminders.run_rules(conn, running.settings, DAY) == 3  # queued, not yet sent
    erased = await running.client.post(
        f"/v1/participants/{pair.mentor['participant_id']}/erasure", headers=ADMIN
    )
    assert erased.status_code == 200, erased.text
    assert await running.run(DAY) == {"decided": 0, "sent": 2}  # the mentee and staff
    assert running.mails_to(pair.mentor["email"]) == []
    cancelled = "SELECT status FROM reminders WHERE participant_id = $1"
    async with running.pool.acquire() as conn:
        assert await conn.fetchval(cancelled, uuid.UUID(pair.mentor["participant_id"])) == "cancelled"
    await running.session(pair, DAY + timedelta(days=1))  # a later silence is a new period: still not him
    await running.agreement(pair, DAY + timedelta(days=1))
    assert (await running.run(DAY + timedelta(days=60)))["decided"] == 2
    assert running.mails_to(pair.mentor["email"]) == []


async def test_mentornet_reminders_run_asks_the_running_intake(postgres, kafka, smtp):
    """The operator's command: intake runs its rules for today and sends the queue; a second run sends nothing."""
    settings = await intake_settings(
        postgres, kafka, smtp_port=smtp.port, reminders_every_s=3600, reminders_send_every_s=3600
    )
    app = create_app(settings)
    async with serve_http(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        operator = Running(client, settings, app.state.runtime.pool, smtp.maildir, smtp)
        today = clock.today(settings.programme_timezone)
        pair = await operator.pair(
            today - timedelta(days=30), mentee_languages=["en"], mentor_languages=["en"]
        )
        done = await mentornet(settings, "reminders", "run", f"--url={url}")
        assert done.strip() == "3 reminder(s) newly due, 3 mail(s) sent"
        assert len(operator.mails_to(pair.mentee["email"])) == 1
        again = await mentornet(settings, "reminders", "run", f"--url={url}")
        assert again.strip() == "0 reminder(s) newly due, 0 mail(s) sent"
        refused = await mentornet(settings, "reminders", "run", f"--url={url}", "--token=wrong", expect=1)
        assert refused == ""


async def test_mails_go_over_starttls_with_a_login_and_a_refused_login_is_retried_without_its_secret(
    running: Running, tmp_path: Path
):
    """Production's way: STARTTLS required, the certificate checked against SMTP_CA_FILE, a login. A
    wrong password is an attempt that failed (its SMTP code kept, never the password), retried later."""
    certificate, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)

    def login(server, session, envelope, mechanism, auth_data):  # noqa: ANN001 - aiosmtpd's signature
        ok = (auth_data.login, auth_data.password) == (b"mentornet", b"s3cret-smtp")
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 235 or 535

    kept = tmp_path / "tls-mail"
    server = Controller(
        Mailbox(kept), hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True,
        authenticator=login, auth_require_tls=True,
    )  # fmt: skip
    server.start()
    try:
        pair = await running.pair(DAY - timedelta(days=30), mentee_languages=["da"], mentor_languages=["da"])
        settings = running.settings
        settings.smtp_port, settings.smtp_tls = server.port, "starttls"
        settings.smtp_user, settings.smtp_password = "mentornet", "wrong"

        async def errors() -> list[str | None]:
            async with running.pool.acquire() as conn:
                found = [r["last_error"] for r in await conn.fetch("SELECT last_error FROM reminders")]
            return sorted(found, key=str)

        # the system's CAs do not know the server's certificate: refused before any login
        assert await running.run(DAY) == {"decided": 3, "sent": 0}
        assert (await errors())[:2] == [None, None] and (await errors())[2] not in (
            None,
            "SMTPAuthenticationError 535",
        )
        settings.smtp_ca_file = str(certificate)
        await asyncio.sleep(0.3)  # the retry wait
        with capture_logs() as logs:
            assert await running.run(DAY) == {"decided": 0, "sent": 0}
        assert "SMTPAuthenticationError 535" in await errors()  # the certificate passed; the login did not
        assert "wrong" not in " ".join(map(str, logs))
        settings.smtp_password = "s3cret-smtp"
        await asyncio.sleep(0.5)  # the retry wait, doubled
        assert await running.run(DAY) == {"decided": 0, "sent": 3}
        (received,) = [m for m in mails(kept) if pair.mentee["email"] in m.to]
        assert received.subject.startswith("Påmindelse")
    finally:
        server.stop()
