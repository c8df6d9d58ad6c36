"""How reporting applies every service's events: the handler table.

Topics are consumed independently and replayed after a broker restart, so any event may come before
the one it follows (a SessionHeld before its PairMatched) or twice; every store write is an upsert
that ends in the same row whatever the order.
"""

from __future__ import annotations

import asyncpg

from services.reporting import store
from shared.events import (
    CohortOpened,
    CohortUpdated,
    CompanyApiKeyIssued,
    CompanyApiKeyRevoked,
    CompanyRegistered,
    PairEnded,
    PairMatched,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)
from shared.messaging.dispatch import Dispatcher

REGISTERED, UPDATED = 0, 1  # a profile update beats a registration stamped at the same instant
HELD, CORRECTED = 0, 1


async def open_cohort(conn: asyncpg.Connection, e: CohortOpened | CohortUpdated) -> None:
    await store.open_cohort(
        conn, e.cohort_id, e.name, e.intake_opens_on, e.intake_closes_on, e.occurred_at, e.event_id
    )


async def register_company(conn: asyncpg.Connection, e: CompanyRegistered) -> None:
    await store.register_company(
        conn, e.company_id, e.name, e.hr_contact_name, e.hr_contact_email, e.occurred_at, e.event_id
    )


async def issue_key(conn: asyncpg.Connection, e: CompanyApiKeyIssued) -> None:
    await store.issue_key(conn, e.key_id, e.company_id, e.key_hash)


async def revoke_key(conn: asyncpg.Connection, e: CompanyApiKeyRevoked) -> None:
    await store.revoke_key(conn, e.key_id, e.company_id)


async def record_profile(
    conn: asyncpg.Connection, e: ParticipantRegistered | ParticipantProfileUpdated
) -> None:
    rank = UPDATED if isinstance(e, ParticipantProfileUpdated) else REGISTERED
    await store.touch_cohort(conn, e.cohort_id)
    await store.record_profile(
        conn,
        e.participant_id,
        e.company_id,
        e.cohort_id,
        e.role,
        e.display_name,
        e.occurred_at,
        rank,
        e.event_id,
    )


async def withdraw(conn: asyncpg.Connection, e: ParticipantWithdrawn) -> None:
    await store.touch_cohort(conn, e.cohort_id)
    await store.withdraw(conn, e.participant_id, e.company_id, e.cohort_id, e.role, e.occurred_at, e.event_id)


async def match_pair(conn: asyncpg.Connection, e: PairMatched) -> None:
    await store.touch_cohort(conn, e.cohort_id)
    await store.match_pair(
        conn,
        e.pair_id,
        e.cohort_id,
        e.mentee_id,
        e.mentor_id,
        e.mentee_company_id,
        e.mentor_company_id,
        e.occurred_at,
        e.event_id,
    )


async def end_pair(conn: asyncpg.Connection, e: PairEnded) -> None:
    await store.touch_cohort(conn, e.cohort_id)
    await store.end_pair(
        conn,
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


async def record_session(conn: asyncpg.Connection, e: SessionHeld | SessionCorrected) -> None:
    """Metadata only: the rating is deliberately not kept, so no view can ever show one."""
    rank = CORRECTED if isinstance(e, SessionCorrected) else HELD
    await store.touch_cohort(conn, e.cohort_id)
    await store.record_session(
        conn,
        e.session_id,
        e.pair_id,
        e.cohort_id,
        e.held_on,
        e.started_at,
        e.duration_minutes,
        e.format,
        e.tools,
        e.version,
        e.occurred_at,
        rank,
        e.event_id,
    )


async def retract_session(conn: asyncpg.Connection, e: SessionRetracted) -> None:
    await store.touch_cohort(conn, e.cohort_id)
    await store.retract_session(conn, e.session_id, e.pair_id, e.cohort_id, e.occurred_at, e.event_id)


project = Dispatcher(
    {
        CohortOpened: [open_cohort],
        CohortUpdated: [open_cohort],
        CompanyRegistered: [register_company],
        CompanyApiKeyIssued: [issue_key],
        CompanyApiKeyRevoked: [revoke_key],
        ParticipantRegistered: [record_profile],
        ParticipantProfileUpdated: [record_profile],
        ParticipantWithdrawn: [withdraw],
        PairMatched: [match_pair],
        PairEnded: [end_pair],
        SessionHeld: [record_session],
        SessionCorrected: [record_session],
        SessionRetracted: [retract_session],
    }
)
