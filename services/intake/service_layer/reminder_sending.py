"""The mail queue, sent: each queued reminder is locked, rendered, handed to the SMTP server and
marked sent with its ReminderSent event in one transaction.

A crash before the commit leaves the row queued: it is sent again (at least once). The one edge is a
crash after the server accepted the mail and before the commit: that mail goes twice, with the same
Message-ID. A refused or unreachable send is retried with a doubling wait, up to mail_max_attempts.
A member who opted out, withdrew or is gone by the time their mail is due is not mailed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
import structlog

from services.intake.domain.reminders.mail import Mail, language_of, message
from services.intake.service_layer import clock, smtp
from services.intake.settings import IntakeSettings
from services.intake.store import reminders as store
from shared.events import ReminderSent
from shared.messaging import outbox
from shared.reminder_tokens import Role, make_token

log = structlog.get_logger(__name__)


async def _mail(conn: asyncpg.Connection, settings: IntakeSettings, q: store.Queued) -> Mail | str:
    """The mail of a queued reminder, or why it is not sent."""
    web = settings.web_url.rstrip("/")
    members = await store.pair_members(conn, q.pair_id)
    if members is None:
        return "pair_unknown"
    named = await store.names(conn, [members.mentee_id, members.mentor_id])
    mentee, mentor = named.get(members.mentee_id, ""), named.get(members.mentor_id, "")
    if q.participant_id is None:
        return Mail(
            template=f"staff_{q.rule}",
            language=language_of([settings.staff_language]),
            to_address=settings.staff_email,
            to_name="",
            facts=q.facts,
            names={"mentee_name": mentee, "mentor_name": mentor},
            links={"staff": f"{web}/staff/cohorts/{members.cohort_id}/pairs/{q.pair_id}"},
        )
    person = await store.person(conn, q.participant_id)
    if person is None:
        return "participant_gone"
    if not person.reachable:
        return "participant_unreachable"
    role: Role = "mentee" if q.participant_id == members.mentee_id else "mentor"
    partner = mentor if role == "mentee" else mentee
    return Mail(
        template=q.rule,
        language=language_of(person.languages),
        to_address=person.email,
        to_name=person.name,
        facts=q.facts,
        names={"recipient": person.name, "partner": partner},
        links={
            "pair": f"{web}/pair/{q.pair_id}",
            "opt_out": f"{web}/reminders/opt-out?token={make_token(settings.reminder_secret, q.pair_id, role)}",
        },
    )


async def send_one(conn: asyncpg.Connection, settings: IntakeSettings) -> str | None:
    """Send the oldest due mail; returns what became of it, or None when none is due."""
    async with conn.transaction():
        q = await store.next_queued(conn, clock.now())
        if q is None:
            return None
        bound: dict[str, Any] = {"reminder_id": str(q.reminder_id), "rule": q.rule, "recipient": q.recipient}
        mail = await _mail(conn, settings, q)
        if isinstance(mail, str):
            await store.mark_cancelled(conn, q.reminder_id, mail)
            log.info("reminder not sent", why=mail, **bound)
            return "cancelled"
        try:
            await smtp.send(settings, message(mail, settings.mail_from, f"<{q.reminder_id}@mentornet>"))
        except Exception as error:  # noqa: BLE001 - refused, unreachable or unsendable: retried, then given up
            attempts = q.attempts + 1
            wait = settings.mail_retry_s * 2 ** (attempts - 1)
            retry = clock.now() + timedelta(seconds=wait) if attempts < settings.mail_max_attempts else None
            await store.mark_failed_attempt(conn, q.reminder_id, smtp.error_code(error), retry)
            log.warning(
                "reminder mail failed",
                error=smtp.error_code(error),
                attempts=attempts,
                gave_up=retry is None,
                **bound,
            )
            return "failed"
        at = clock.now()
        await store.mark_sent(conn, q.reminder_id, at)
        event = ReminderSent(
            rule=q.rule,
            pair_id=q.pair_id,
            participant_id=q.participant_id,
            recipient=q.recipient,
            period=q.period,
            occurred_at=at,
            producer="intake",
        )
        await outbox.append(conn, [event])
    log.info("reminder mail sent", language=mail.language, **bound)
    return "sent"


async def send_queued(conn: asyncpg.Connection, settings: IntakeSettings, most: int = 100) -> int:
    """Send what is due, up to `most`; stops at the first failure (the server is likely away)."""
    sent = 0
    for _ in range(most):
        outcome = await send_one(conn, settings)
        if outcome is None or outcome == "failed":
            break
        sent += outcome == "sent"
    return sent


def sending_job(settings: IntakeSettings) -> Any:
    async def job(conn: asyncpg.Connection) -> None:
        await send_queued(conn, settings)

    return job
