"""How reporting applies every service's events: the handler table, one row per event.

Topics are consumed independently and replayed after a broker restart, so any event may come before
the one it follows (a SessionHeld before its PairMatched) or twice. Every store write is an upsert that
ends in the same row whatever the order, which also lets a batch be written grouped by kind, one
`executemany` per kind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import structlog

from services.reporting import store
from shared.events import (
    CohortOpened,
    CohortUpdated,
    CompanyApiKeyIssued,
    CompanyApiKeyRevoked,
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)

log = structlog.get_logger(__name__)

Write = Callable[[asyncpg.Connection, Sequence[Any]], Awaitable[None]]
REGISTERED, UPDATED = 0, 1  # a profile update beats a registration stamped at the same instant
HELD, CORRECTED = 0, 1


def cohort(e: CohortOpened | CohortUpdated) -> store.CohortRow:
    return store.CohortRow(
        e.cohort_id, e.name, e.intake_opens_on, e.intake_closes_on, e.occurred_at, e.event_id
    )


def company(e: CompanyRegistered) -> store.CompanyRow:
    return store.CompanyRow(
        e.company_id, e.name, e.hr_contact_name, e.hr_contact_email, e.occurred_at, e.event_id
    )


def key(e: CompanyApiKeyIssued) -> store.KeyRow:
    return store.KeyRow(e.key_id, e.company_id, e.key_hash)


def revocation(e: CompanyApiKeyRevoked) -> store.RevocationRow:
    return store.RevocationRow(e.key_id, e.company_id)


def profile(e: ParticipantRegistered | ParticipantProfileUpdated) -> store.ProfileRow:
    rank = UPDATED if isinstance(e, ParticipantProfileUpdated) else REGISTERED
    return store.ProfileRow(
        e.participant_id, e.company_id, e.cohort_id, e.role, e.display_name, e.occurred_at, rank, e.event_id
    )


def withdrawal(e: ParticipantWithdrawn) -> store.WithdrawalRow:
    return store.WithdrawalRow(e.participant_id, e.company_id, e.cohort_id, e.role, e.occurred_at, e.event_id)


def match(e: PairMatched) -> store.MatchRow:
    return store.MatchRow(
        e.pair_id,
        e.cohort_id,
        e.mentee_id,
        e.mentor_id,
        e.mentee_company_id,
        e.mentor_company_id,
        e.occurred_at,
        e.event_id,
    )


def end(e: PairEnded) -> store.EndRow:
    return store.EndRow(
        e.pair_id,
        e.cohort_id,
        e.mentee_id,
        e.mentor_id,
        e.ended_on,
        e.reason,
        e.do_not_rematch,
        e.occurred_at,
        e.event_id,
    )


def session(e: SessionHeld | SessionCorrected) -> store.SessionRow:
    """Metadata only: the rating is deliberately not kept, so no view can ever show one."""
    return store.SessionRow(
        e.session_id,
        e.pair_id,
        e.cohort_id,
        e.held_on,
        e.started_at,
        e.duration_minutes,
        e.format,
        list(e.tools),
        e.version or 0,
        e.occurred_at,
        CORRECTED if isinstance(e, SessionCorrected) else HELD,
        e.event_id,
    )


def retraction(e: SessionRetracted) -> store.RetractionRow:
    return store.RetractionRow(e.session_id, e.pair_id, e.cohort_id, e.occurred_at, e.event_id)


HANDLERS: dict[type[Event], tuple[Callable[[Any], tuple[Any, ...]], Write]] = {
    CohortOpened: (cohort, store.state_cohorts),
    CohortUpdated: (cohort, store.state_cohorts),
    CompanyRegistered: (company, store.register_companies),
    CompanyApiKeyIssued: (key, store.issue_keys),
    CompanyApiKeyRevoked: (revocation, store.revoke_keys),
    ParticipantRegistered: (profile, store.record_profiles),
    ParticipantProfileUpdated: (profile, store.record_profiles),
    ParticipantWithdrawn: (withdrawal, store.withdraw),
    PairMatched: (match, store.match_pairs),
    PairEnded: (end, store.end_pairs),
    SessionHeld: (session, store.record_sessions),
    SessionCorrected: (session, store.record_sessions),
    SessionRetracted: (retraction, store.retract_sessions),
}


async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    """Apply a batch inside the consumer's transaction: cohorts named first, then one write per kind."""
    batches: dict[Write, list[tuple[Any, ...]]] = {}
    for event in events:
        handler = HANDLERS.get(type(event))
        if handler is None:
            log.debug("event not reported on", event_type=event.event_type, event_id=str(event.event_id))
            continue
        to_row, write = handler
        batches.setdefault(write, []).append(to_row(event))
    named = [cohort_id for e in events if (cohort_id := getattr(e, "cohort_id", None)) is not None]
    if named:
        await store.touch_cohorts(conn, named)
    for write, rows in batches.items():
        await write(conn, rows)
