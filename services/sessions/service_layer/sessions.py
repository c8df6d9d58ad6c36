"""A pair's sessions: log, correct, retract, and read them (notes only for the pair's members)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.sessions import store
from services.sessions.domain.decisions import (
    Corrected,
    Correction,
    Entry,
    Logged,
    Replayed,
    Retracted,
    decide_correction,
    decide_log,
    decide_retraction,
)
from services.sessions.domain.errors import Conflict, NotFound
from services.sessions.domain.model import Pair, Principal, RetractionReason, Session, Version
from services.sessions.domain.rules import check_pair_access
from services.sessions.service_layer.access import pair_to_write
from services.sessions.service_layer.policy import Policy
from shared.messaging import outbox

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Answer:
    """A session as one caller may see it: notes only ever filled for the pair's members."""

    session: Session
    notes: str | None
    show_notes: bool
    replayed: bool = False


@dataclass(frozen=True)
class SessionHistory:
    session: Session
    versions: list[Version]
    notes_by_version: dict[int, str | None]
    show_notes: bool

    @property
    def current(self) -> Answer:
        """The session as it stands, with the notes the latest version that set any left in force."""
        set_at = [v for v in self.notes_by_version if v <= self.session.version] if self.show_notes else []
        notes = self.notes_by_version[max(set_at)] if set_at else None
        return Answer(self.session, notes, self.show_notes)


async def _locked_pair(conn: asyncpg.Connection, pair_id: UUID) -> Pair:
    """Hold the pair row, so a PairEnded cannot slip between the check and the write."""
    pair = await store.pairs.pair(conn, pair_id, lock=True)
    assert pair is not None
    return pair


async def log_session(
    pool: asyncpg.Pool, policy: Policy, principal: Principal | None, pair_id: UUID, entry: Entry
) -> Answer:
    async with pool.acquire() as conn:
        _, by = await pair_to_write(conn, policy, principal, pair_id)
        entry = replace(entry, by=by)
        try:
            async with conn.transaction():
                outcome = await _log(conn, policy, pair_id, entry)
        except asyncpg.UniqueViolationError:  # a concurrent request took the same start: decide again
            async with conn.transaction():
                outcome = await _log(conn, policy, pair_id, entry)
        if isinstance(outcome, Replayed):
            policy.metrics.replayed.inc()
            return await _first_answer(conn, pair_id, outcome.session_id, show_notes=by != "staff")
    policy.metrics.recorded.labels("held", by).inc()
    log.info(
        "session logged",
        session_id=str(outcome.session.session_id),
        pair_id=str(pair_id),
        logged_by=by,
        event_id=str(outcome.event.event_id),
    )
    return Answer(outcome.session, outcome.notes, show_notes=by != "staff")


async def _log(conn: asyncpg.Connection, policy: Policy, pair_id: UUID, entry: Entry) -> Logged | Replayed:
    pair = await _locked_pair(conn, pair_id)
    start = entry.details.started_at
    # Live first: a concurrent first log committing between the two reads then shows as a repeat.
    live = await store.sessions.live_session_starting(conn, pair_id, start)
    first = await store.sessions.first_version_at(conn, pair_id, start)
    outcome = decide_log(
        pair,
        entry,
        first_at_same_start=first,
        live_session_at_start=live,
        session_id=uuid4(),
        now=policy.now(),
        zone=policy.zone,
    )
    if isinstance(outcome, Replayed):
        return outcome
    if not await store.sessions.insert_session(conn, outcome.session, start):
        raise asyncpg.UniqueViolationError("logged concurrently")
    await store.sessions.add_version(
        conn, outcome.session, kind="held", recorded_by=entry.by, event_id=outcome.event.event_id
    )
    if outcome.notes is not None:
        await store.notes.set_notes(conn, outcome.session.session_id, 1, outcome.notes)
    await outbox.append(conn, [outcome.event])
    return outcome


async def _first_answer(
    conn: asyncpg.Connection, pair_id: UUID, session_id: UUID, show_notes: bool
) -> Answer:
    """The answer the first call got: the session's first version."""
    current = await store.sessions.session(conn, pair_id, session_id)
    first = await store.sessions.version_of(conn, session_id, 1)
    assert current is not None and first is not None
    as_first = replace(
        current, details=first.details, logged_by=first.recorded_by, version=1, retracted=False
    )
    notes = (await store.notes.notes_history(conn, session_id)).get(1) if show_notes else None
    return Answer(as_first, notes, show_notes, replayed=True)


async def correct_session(
    pool: asyncpg.Pool,
    policy: Policy,
    principal: Principal | None,
    pair_id: UUID,
    session_id: UUID,
    correction: Correction,
) -> Answer:
    async with pool.acquire() as conn:
        _, by = await pair_to_write(conn, policy, principal, pair_id)
        correction = replace(correction, by=by)
        try:
            async with conn.transaction():
                pair = await _locked_pair(conn, pair_id)
                session = await store.sessions.session_for_update(conn, pair_id, session_id)
                if session is None:
                    raise NotFound
                current_notes = (await store.notes.notes_in_force(conn, [session_id])).get(session_id)
                taken = await store.sessions.live_session_starting(
                    conn, pair_id, correction.details.started_at, other_than=session_id
                )
                outcome = decide_correction(
                    pair,
                    session,
                    correction,
                    current_notes=current_notes,
                    start_taken_by_other=taken is not None,
                    now=policy.now(),
                    zone=policy.zone,
                )
                if isinstance(outcome, Corrected):
                    await store.sessions.update_session(conn, outcome.session)
                    await store.sessions.add_version(
                        conn,
                        outcome.session,
                        kind="corrected",
                        recorded_by=by,
                        event_id=outcome.event.event_id,
                    )
                    if outcome.notes_changed:
                        await store.notes.set_notes(conn, session_id, outcome.session.version, outcome.notes)
                    await outbox.append(conn, [outcome.event])
        except asyncpg.UniqueViolationError as clash:
            raise Conflict("start_taken", "another session of this pair starts then") from clash
    show_notes = by != "staff"
    if not show_notes:
        notes = None
    elif isinstance(outcome, Corrected) and outcome.notes_changed:
        notes = outcome.notes
    else:
        notes = current_notes
    if isinstance(outcome, Corrected):
        policy.metrics.recorded.labels("corrected", by).inc()
        log.info(
            "session corrected",
            session_id=str(session_id),
            pair_id=str(pair_id),
            corrected_by=by,
            version=outcome.session.version,
            event_id=str(outcome.event.event_id),
        )
    return Answer(outcome.session, notes, show_notes)


async def retract_session(
    pool: asyncpg.Pool,
    policy: Policy,
    principal: Principal | None,
    pair_id: UUID,
    session_id: UUID,
    reason: RetractionReason,
) -> Answer:
    async with pool.acquire() as conn:
        _, by = await pair_to_write(conn, policy, principal, pair_id)
        async with conn.transaction():
            session = await store.sessions.session_for_update(conn, pair_id, session_id)
            if session is None:
                raise NotFound
            outcome = decide_retraction(session, reason, by)
            if isinstance(outcome, Retracted):
                await store.sessions.update_session(conn, outcome.session)
                await store.sessions.add_version(
                    conn,
                    outcome.session,
                    kind="retracted",
                    recorded_by=by,
                    event_id=outcome.event.event_id,
                    retraction_reason=reason,
                )
                await outbox.append(conn, [outcome.event])
            notes = (
                (await store.notes.notes_in_force(conn, [session_id])).get(session_id)
                if by != "staff"
                else None
            )
    if isinstance(outcome, Retracted):
        policy.metrics.recorded.labels("retracted", by).inc()
        log.info("session retracted", session_id=str(session_id), pair_id=str(pair_id), retracted_by=by)
    return Answer(outcome.session, notes, show_notes=by != "staff")


async def sessions_of_pair(
    pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID, include_retracted: bool
) -> list[Answer]:
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        if await store.pairs.pair(conn, pair_id) is None:
            raise NotFound
        sessions = await store.sessions.sessions_of_pair(conn, pair_id, include_retracted)
        if role == "staff":
            return [Answer(s, None, show_notes=False) for s in sessions]
        notes = await store.notes.notes_in_force(conn, [s.session_id for s in sessions])
    return [Answer(s, notes.get(s.session_id), show_notes=True) for s in sessions]


async def session_history(
    pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID, session_id: UUID
) -> SessionHistory:
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        session = await store.sessions.session(conn, pair_id, session_id)
        if session is None:
            raise NotFound
        versions = await store.sessions.history(conn, session_id)
        notes = await store.notes.notes_history(conn, session_id) if role != "staff" else {}
    return SessionHistory(session, versions, notes, show_notes=role != "staff")
