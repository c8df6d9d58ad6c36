"""The use cases: each opens one transaction, asks the domain, stores the outcome with its event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

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
from services.sessions.domain.model import (
    MEMBER_ROLES,
    MemberRole,
    Pair,
    Principal,
    RetractionReason,
    Session,
    Version,
)
from services.sessions.domain.rules import check_pair_access, require_staff_role, unknown_pair_verdict
from services.sessions.metrics import SessionsMetrics
from shared.events.sessions import LoggedBy
from shared.http.auth import hash_key, new_key
from shared.messaging import outbox

log = structlog.get_logger(__name__)

TOKEN_PREFIX = "mnp"


@dataclass(frozen=True)
class Policy:
    """The settings the use cases need, and the clock (replaceable in tests)."""

    zone: ZoneInfo
    unknown_pair_grace: timedelta
    retry_after_s: int
    metrics: SessionsMetrics

    def now(self) -> datetime:
        return datetime.now(UTC)


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


async def principal_of(pool: asyncpg.Pool, token: str | None, is_staff: bool) -> Principal | None:
    """Staff, one member of one pair, or nobody we know."""
    if is_staff:
        return Principal("staff")
    if not token:
        return None
    async with pool.acquire() as conn:
        member = await store.member_of_token(conn, hash_key(token))
    return Principal(member[1], member[0]) if member else None


async def _pair_to_write(
    conn: asyncpg.Connection, policy: Policy, principal: Principal | None, pair_id: UUID
) -> tuple[Pair, LoggedBy]:
    """A pair the caller may write to; a staff request for a pair not arrived yet is told to retry."""
    role = check_pair_access(principal, pair_id)
    pair = await store.pair(conn, pair_id)
    if pair is not None and pair.matched:
        return pair, role
    if role != "staff":
        raise NotFound
    first_seen = await store.sight_unknown_pair(conn, pair_id)
    if unknown_pair_verdict(first_seen, policy.now(), policy.unknown_pair_grace) == "unknown":
        raise NotFound
    log.info("pair not known yet: asked to retry", pair_id=str(pair_id))
    raise Conflict(
        "pair_not_known_yet",
        "sessions has not yet learnt of this pair from matching; retry shortly",
        retry_after_s=policy.retry_after_s,
    )


async def _locked_pair(conn: asyncpg.Connection, pair_id: UUID) -> Pair:
    """Hold the pair row, so a PairEnded cannot slip between the check and the write."""
    pair = await store.pair(conn, pair_id, lock=True)
    assert pair is not None
    return pair


async def pair_view(pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID) -> tuple[Pair, LoggedBy]:
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        pair = await store.pair(conn, pair_id)
    if pair is None:
        raise NotFound
    return pair, role


@dataclass(frozen=True)
class PairRecord:
    """What staff see of a pair beyond its dates: its members and the state of their tokens."""

    members: dict[str, UUID]
    tokens: list[dict[str, object]]


async def pair_record(pool: asyncpg.Pool, pair_id: UUID) -> PairRecord:
    async with pool.acquire() as conn:
        members = await store.pair_members(conn, pair_id)
        tokens = await store.token_status(conn, pair_id)
    return PairRecord(members, [dict(t) for t in tokens])


async def list_pairs(pool: asyncpg.Pool, cohort_id: UUID | None) -> list[dict[str, object]]:
    async with pool.acquire() as conn:
        return await store.pairs(conn, cohort_id)


async def issue_tokens(
    pool: asyncpg.Pool,
    policy: Policy,
    principal: Principal | None,
    pair_id: UUID,
    roles: tuple[MemberRole, ...],
) -> list[tuple[MemberRole, str, int, datetime]]:
    """New personal tokens for the members, shown this once; each replaces (revokes) the one before."""
    async with pool.acquire() as conn:
        _, role = await _pair_to_write(conn, policy, principal, pair_id)
        require_staff_role(role)
        issued = []
        async with conn.transaction():
            for member in [r for r in MEMBER_ROLES if r in roles]:
                token = new_key(TOKEN_PREFIX)
                row = await store.issue_token(conn, pair_id, member, hash_key(token))
                issued.append((member, token, row["generation"], row["issued_at"]))
    policy.metrics.tokens_issued.inc(len(issued))
    log.info("member tokens issued", pair_id=str(pair_id), roles=[r for r, *_ in issued])
    return issued


async def log_session(
    pool: asyncpg.Pool, policy: Policy, principal: Principal | None, pair_id: UUID, entry: Entry
) -> Answer:
    async with pool.acquire() as conn:
        _, by = await _pair_to_write(conn, policy, principal, pair_id)
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
    live = await store.live_session_starting(conn, pair_id, start)
    first = await store.first_version_at(conn, pair_id, start)
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
    if not await store.insert_session(conn, outcome.session, start):
        raise asyncpg.UniqueViolationError("logged concurrently")
    await store.add_version(
        conn, outcome.session, kind="held", recorded_by=entry.by, event_id=outcome.event.event_id
    )
    if outcome.notes is not None:
        await store.set_notes(conn, outcome.session.session_id, 1, outcome.notes)
    await outbox.append(conn, [outcome.event])
    return outcome


async def _first_answer(
    conn: asyncpg.Connection, pair_id: UUID, session_id: UUID, show_notes: bool
) -> Answer:
    """The answer the first call got: the session's first version."""
    current = await store.session(conn, pair_id, session_id)
    first = await store.version_of(conn, session_id, 1)
    assert current is not None and first is not None
    as_first = replace(
        current, details=first.details, logged_by=first.recorded_by, version=1, retracted=False
    )
    notes = (await store.notes_history(conn, session_id)).get(1) if show_notes else None
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
        _, by = await _pair_to_write(conn, policy, principal, pair_id)
        correction = replace(correction, by=by)
        try:
            async with conn.transaction():
                pair = await _locked_pair(conn, pair_id)
                session = await store.session_for_update(conn, pair_id, session_id)
                if session is None:
                    raise NotFound
                current_notes = (await store.notes_in_force(conn, [session_id])).get(session_id)
                taken = await store.live_session_starting(
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
                    await store.update_session(conn, outcome.session)
                    await store.add_version(
                        conn,
                        outcome.session,
                        kind="corrected",
                        recorded_by=by,
                        event_id=outcome.event.event_id,
                    )
                    if outcome.notes_changed:
                        await store.set_notes(conn, session_id, outcome.session.version, outcome.notes)
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
        _, by = await _pair_to_write(conn, policy, principal, pair_id)
        async with conn.transaction():
            session = await store.session_for_update(conn, pair_id, session_id)
            if session is None:
                raise NotFound
            outcome = decide_retraction(session, reason, by)
            if isinstance(outcome, Retracted):
                await store.update_session(conn, outcome.session)
                await store.add_version(
                    conn,
                    outcome.session,
                    kind="retracted",
                    recorded_by=by,
                    event_id=outcome.event.event_id,
                    retraction_reason=reason,
                )
                await outbox.append(conn, [outcome.event])
            notes = (
                (await store.notes_in_force(conn, [session_id])).get(session_id) if by != "staff" else None
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
        if await store.pair(conn, pair_id) is None:
            raise NotFound
        sessions = await store.sessions_of_pair(conn, pair_id, include_retracted)
        if role == "staff":
            return [Answer(s, None, show_notes=False) for s in sessions]
        notes = await store.notes_in_force(conn, [s.session_id for s in sessions])
    return [Answer(s, notes.get(s.session_id), show_notes=True) for s in sessions]


async def session_history(
    pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID, session_id: UUID
) -> SessionHistory:
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        session = await store.session(conn, pair_id, session_id)
        if session is None:
            raise NotFound
        versions = await store.history(conn, session_id)
        notes = await store.notes_history(conn, session_id) if role != "staff" else {}
    return SessionHistory(session, versions, notes, show_notes=role != "staff")
