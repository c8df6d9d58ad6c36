"""Reminders: the rules run on a schedule (or when staff ask), each reminder decided once; members
opt out with the signed link of a mail or from their pair page; staff list what was sent and who
opted out. Sending is reminder_sending.py's, from the queue the decisions fill."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

import asyncpg
import structlog

from services.intake.domain.errors import Invalid, NotFound, Problem
from services.intake.domain.reminders.rules import due_reminders
from services.intake.service_layer import clock, reminder_sending
from services.intake.settings import IntakeSettings
from services.intake.store import reminder_facts as facts
from services.intake.store import reminders as store
from shared.reminder_tokens import seat_of

log = structlog.get_logger(__name__)


async def run_rules(conn: asyncpg.Connection, settings: IntakeSettings, today: date | None = None) -> int:
    """Decide every reminder due `today` (the programme's today by default) that was not decided
    before, in one transaction; returns how many are new. The mails go out from the queue."""
    today = today or clock.today(settings.programme_timezone, clock.now())
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('mentornet reminders'))")  # one run at once
        due = due_reminders(
            await facts.pairs(conn, settings.programme_timezone),
            await facts.open_evaluations(conn, today),
            today,
            settings.thresholds,
            await store.unreachable(conn),
        )
        new = await store.decide(conn, due, clock.now())
    counts = {rule: sum(d.rule == rule for d in new) for rule in {d.rule for d in new}}
    log.info("reminder rules run", day=today.isoformat(), due=len(due), new=len(new), **counts)
    return len(new)


def rules_job(settings: IntakeSettings) -> Any:
    async def job(conn: asyncpg.Connection) -> None:
        await run_rules(conn, settings)

    return job


async def run_now(pool: asyncpg.Pool, settings: IntakeSettings, today: date | None) -> dict[str, Any]:
    """Staff run the rules now (`mentornet reminders run`) and send what is queued; `today` may be set
    only in development (tests, demos)."""
    if today is not None and settings.environment != "development":
        raise Invalid([Problem(("body", "today"), "may only be set in development", "not_allowed")])
    async with pool.acquire() as conn:
        new = await run_rules(conn, settings, today)
        sent = await reminder_sending.send_queued(conn, settings)
    return {"decided": new, "sent": sent}


async def _member(conn: asyncpg.Connection, settings: IntakeSettings, token: str) -> UUID:
    """The member whose seat (pair and role) the signed token names."""
    seat = seat_of(settings.reminder_secret, token)
    if seat is None:
        raise Invalid([Problem(("body", "token"), "is not a valid opt-out token", "invalid_token")])
    members = await store.pair_members(conn, seat[0])
    if members is None:
        raise NotFound("this pair is not known here yet: try again in a minute", "pair_not_found")
    return members.mentee_id if seat[1] == "mentee" else members.mentor_id


async def opt_out(
    pool: asyncpg.Pool, settings: IntakeSettings, token: str, via: Literal["mail_link", "pair_page"]
) -> dict[str, Any]:
    """The member the signed token names gets no more reminders (staff notes about their pair still go)."""
    async with pool.acquire() as conn, conn.transaction():
        participant_id = await _member(conn, settings, token)
        if await store.opt_out(conn, participant_id, via, clock.now()):
            log.info("reminders opted out", participant_id=str(participant_id), via=via)
    return {"participant_id": participant_id, "opted_out": True}


async def opt_in(pool: asyncpg.Pool, settings: IntakeSettings, token: str) -> dict[str, Any]:
    """Reminders again for the member the token names."""
    async with pool.acquire() as conn, conn.transaction():
        participant_id = await _member(conn, settings, token)
        if await store.opt_in(conn, participant_id):
            log.info("reminders opted in", participant_id=str(participant_id))
    return {"participant_id": participant_id, "opted_out": False}


async def preference(pool: asyncpg.Pool, settings: IntakeSettings, token: str) -> dict[str, Any]:
    async with pool.acquire() as conn:
        participant_id = await _member(conn, settings, token)
        return {"participant_id": participant_id, "opted_out": await store.is_opted_out(conn, participant_id)}


async def list_reminders(pool: asyncpg.Pool, limit: int) -> list[dict[str, Any]]:
    """Newest first: rule, pair, to whom (role and name; staff notes to `staff`), status, when."""
    async with pool.acquire() as conn:
        rows = await store.list_reminders(conn, limit)
    return [{**dict(r), "name": r["name"] if r["recipient"] != "staff" else None} for r in rows]


async def list_opt_outs(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(r) for r in await store.list_opt_outs(conn)]
