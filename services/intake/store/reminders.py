"""SQL for reminders: the ones decided (once per rule, pair, recipient and period), which are also the
mail queue, the members who opted out, and who a reminder goes to."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.intake.domain.reminders.rules import Due


@dataclass(frozen=True)
class Queued:
    reminder_id: UUID
    rule: str
    pair_id: UUID
    recipient: str
    participant_id: UUID | None
    period: str
    facts: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Person:
    """What a mail needs of a participant; `reachable` is False once withdrawn or opted out."""

    participant_id: UUID
    name: str
    email: str
    languages: tuple[str, ...]
    reachable: bool


async def decide(conn: asyncpg.Connection, due: Sequence[Due], at: datetime) -> list[Due]:
    """Record each due reminder once; returns those new (the others were decided on an earlier run)."""
    new = []
    for d in due:
        inserted = await conn.fetchval(
            """INSERT INTO reminders (reminder_id, rule, pair_id, recipient, participant_id, period, facts,
                                      decided_at, next_attempt_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)
               ON CONFLICT (rule, pair_id, recipient, period) DO NOTHING RETURNING reminder_id""",
            uuid4(),
            d.rule,
            d.pair_id,
            d.recipient,
            d.participant_id,
            d.period,
            json.dumps(d.facts),
            at,
        )
        if inserted is not None:
            new.append(d)
    return new


async def unreachable(conn: asyncpg.Connection) -> frozenset[UUID]:
    """Members no reminder may go to: opted out, withdrawn (or otherwise no longer active)."""
    rows = await conn.fetch(
        """SELECT participant_id FROM reminder_opt_outs
           UNION SELECT participant_id FROM participants WHERE status <> 'active'"""
    )
    return frozenset(r["participant_id"] for r in rows)


async def next_queued(conn: asyncpg.Connection, now: datetime) -> Queued | None:
    """The oldest mail due, locked for this transaction; another sender skips it (no double send)."""
    row = await conn.fetchrow(
        """SELECT * FROM reminders WHERE status = 'queued' AND next_attempt_at <= $1
           ORDER BY next_attempt_at, reminder_id LIMIT 1 FOR UPDATE SKIP LOCKED""",
        now,
    )
    if row is None:
        return None
    return Queued(
        row["reminder_id"],
        row["rule"],
        row["pair_id"],
        row["recipient"],
        row["participant_id"],
        row["period"],
        json.loads(row["facts"]),
        row["attempts"],
    )


async def mark_sent(conn: asyncpg.Connection, reminder_id: UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE reminders SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE reminder_id = $1",
        reminder_id,
        at,
    )


async def mark_cancelled(conn: asyncpg.Connection, reminder_id: UUID, why: str) -> None:
    await conn.execute(
        "UPDATE reminders SET status = 'cancelled', last_error = $2 WHERE reminder_id = $1", reminder_id, why
    )


async def mark_failed_attempt(
    conn: asyncpg.Connection, reminder_id: UUID, error: str, retry_at: datetime | None
) -> None:
    """One more attempt that failed: tried again at `retry_at`, or given up on when it is None."""
    await conn.execute(
        """UPDATE reminders SET attempts = attempts + 1, last_error = $2,
                  status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'queued' END,
                  next_attempt_at = coalesce($3, next_attempt_at)
           WHERE reminder_id = $1""",
        reminder_id,
        error,
        retry_at,
    )


async def person(conn: asyncpg.Connection, participant_id: UUID) -> Person | None:
    row = await conn.fetchrow(
        """SELECT p.participant_id, p.name, p.email, p.languages,
                  p.status = 'active' AND o.participant_id IS NULL AS reachable
           FROM participants p LEFT JOIN reminder_opt_outs o USING (participant_id)
           WHERE p.participant_id = $1""",
        participant_id,
    )
    if row is None:
        return None
    return Person(row["participant_id"], row["name"], row["email"], tuple(row["languages"]), row["reachable"])


@dataclass(frozen=True)
class PairMembers:
    mentee_id: UUID
    mentor_id: UUID
    cohort_id: UUID


async def pair_members(conn: asyncpg.Connection, pair_id: UUID) -> PairMembers | None:
    row = await conn.fetchrow(
        "SELECT mentee_id, mentor_id, cohort_id FROM reminder_pairs WHERE pair_id = $1", pair_id
    )
    return PairMembers(row["mentee_id"], row["mentor_id"], row["cohort_id"]) if row else None


async def names(conn: asyncpg.Connection, participant_ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT participant_id, name FROM participants WHERE participant_id = ANY($1::uuid[])",
        list(participant_ids),
    )
    return {r["participant_id"]: r["name"] for r in rows}


async def opt_out(conn: asyncpg.Connection, participant_id: UUID, via: str, at: datetime) -> bool:
    """True when this is new (a second opt-out keeps the first's time)."""
    inserted = await conn.fetchval(
        """INSERT INTO reminder_opt_outs (participant_id, via, opted_out_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING participant_id""",
        participant_id,
        via,
        at,
    )
    return inserted is not None


async def opt_in(conn: asyncpg.Connection, participant_id: UUID) -> bool:
    return (
        await conn.fetchval(
            "DELETE FROM reminder_opt_outs WHERE participant_id = $1 RETURNING true", participant_id
        )
        is not None
    )


async def is_opted_out(conn: asyncpg.Connection, participant_id: UUID) -> bool:
    return bool(
        await conn.fetchval("SELECT true FROM reminder_opt_outs WHERE participant_id = $1", participant_id)
    )


async def participant_exists(conn: asyncpg.Connection, participant_id: UUID) -> bool:
    return bool(
        await conn.fetchval("SELECT true FROM participants WHERE participant_id = $1", participant_id)
    )


async def list_reminders(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    """The newest reminders first, with the member's name (none for staff notes)."""
    return await conn.fetch(
        """SELECT r.reminder_id, r.rule, r.pair_id, r.recipient, r.participant_id, r.period, r.status,
                  r.decided_at, r.sent_at, r.attempts, p.name, rp.cohort_id
           FROM reminders r LEFT JOIN participants p USING (participant_id)
                LEFT JOIN reminder_pairs rp ON rp.pair_id = r.pair_id
           ORDER BY r.decided_at DESC, r.reminder_id LIMIT $1""",
        limit,
    )


async def list_opt_outs(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT o.participant_id, o.via, o.opted_out_at, p.name, p.role, p.company_id
           FROM reminder_opt_outs o LEFT JOIN participants p USING (participant_id)
           ORDER BY o.opted_out_at DESC, o.participant_id"""
    )


async def of_participant(conn: asyncpg.Connection, participant_id: UUID) -> dict[str, Any]:
    """For the person's data export: the reminders decided for them and whether they opted out."""
    sent = await conn.fetch(
        """SELECT reminder_id, rule, pair_id, recipient, period, facts, status, decided_at, sent_at
           FROM reminders WHERE participant_id = $1 ORDER BY decided_at""",
        participant_id,
    )
    opted = await conn.fetchrow(
        "SELECT via, opted_out_at FROM reminder_opt_outs WHERE participant_id = $1", participant_id
    )
    return {
        "mails": [{**dict(r), "facts": json.loads(r["facts"])} for r in sent],
        "opted_out": dict(opted) if opted else None,
    }
