"""How matching applies intake's events (flow.EVENT_HANDLERS names which handler takes which).

Every handler is safe to repeat and to receive out of order: a profile never overwrites a newer one,
a withdrawal that arrives before the registration is remembered, and a cohort row exists as soon as
anything about it is known.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.matching.service_layer.pairs import end_pairs_of_withdrawn
from services.matching.store import cohorts as store
from services.matching.store import pairs as pair_store
from services.matching.store import pins
from shared.events import (
    CohortOpened,
    CohortUpdated,
    CompanyRegistered,
    ParticipantErased,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from shared.member_access import forget_member_tokens
from shared.messaging.dispatch import batched
from shared.privacy.sealing import remember_erased_subjects


async def name_cohort(conn: asyncpg.Connection, event: CohortOpened | CohortUpdated) -> None:
    await store.name_cohort(conn, event.cohort_id, event.name)


async def name_company(conn: asyncpg.Connection, event: CompanyRegistered) -> None:
    await store.name_company(conn, event.company_id, event.name)


@batched
async def keep_profiles(
    conn: asyncpg.Connection, events: Sequence[ParticipantRegistered | ParticipantProfileUpdated]
) -> None:
    await store.ensure_cohorts(conn, {event.cohort_id for event in events})
    await store.keep_profiles(conn, events)


async def withdraw(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
    """Out of the pool, out of every pin, and any active pair ends with reason "withdrawn"."""
    await store.ensure_cohorts(conn, [event.cohort_id])
    await store.mark_withdrawn(conn, event)
    await pins.forget_pins_of(conn, event.participant_id)
    await end_pairs_of_withdrawn(conn, event.participant_id, event.occurred_at.date(), cause=event)


@batched
async def erase(conn: asyncpg.Connection, events: Sequence[ParticipantErased]) -> None:
    """The name goes; the person leaves the pool and every pin. Their pairs stay (and still count)."""
    erased = [event.participant_id for event in events]
    await remember_erased_subjects(conn, erased)  # kept through rebuilds: replays never bring them back
    await forget_member_tokens(conn, erased)  # their links are recognised here no more
    await store.erase_participants(conn, erased)
    await pair_store.erase_end_reasons(conn, erased)
    for participant_id in erased:
        await pins.forget_pins_of(conn, participant_id)
