"""How sessions applies the events it consumes: pairs from matching, members' names, companies and
cohorts from intake.

The handlers are plain `(conn, event)` functions named in flow.EVENT_HANDLERS. The one setting they
need, the programme's zone (a match's instant becomes its date there), is bound by `in_zone` around
each batch, so the table itself stays free of settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from zoneinfo import ZoneInfo

import asyncpg

from services.sessions import store
from shared.events import (
    CohortClosed,
    CohortOpened,
    CohortUpdated,
    CompanyRegistered,
    Event,
    PairEnded,
    PairMatched,
    ParticipantErased,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from shared.messaging.consumer import Projection
from shared.messaging.dispatch import batched
from shared.privacy.sealing import remember_erased_subjects

_programme_zone: ContextVar[ZoneInfo] = ContextVar("programme_zone")


def in_zone(zone: ZoneInfo, apply: Projection) -> Projection:
    """The projection, with the programme's zone in force while it applies a batch."""

    async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        bound = _programme_zone.set(zone)
        try:
            await apply(conn, events)
        finally:
            _programme_zone.reset(bound)

    return project


async def pair_matched(conn: asyncpg.Connection, event: PairMatched) -> None:
    await store.pairs.record_pair_matched(
        conn,
        pair_id=event.pair_id,
        cohort_id=event.cohort_id,
        mentee_id=event.mentee_id,
        mentor_id=event.mentor_id,
        matched_on=event.occurred_at.astimezone(_programme_zone.get()).date(),
        mentee_company_id=event.mentee_company_id,
        mentor_company_id=event.mentor_company_id,
    )


async def pair_ended(conn: asyncpg.Connection, event: PairEnded) -> None:
    await store.pairs.record_pair_ended(
        conn,
        pair_id=event.pair_id,
        cohort_id=event.cohort_id,
        mentee_id=event.mentee_id,
        mentor_id=event.mentor_id,
        ended_on=event.ended_on,
    )


async def participant_named(
    conn: asyncpg.Connection, event: ParticipantRegistered | ParticipantProfileUpdated
) -> None:
    await store.participants.record_participant_named(
        conn, event.participant_id, event.display_name, event.occurred_at
    )


async def participant_withdrawn(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
    await store.participants.record_participant_withdrawn(conn, event.participant_id, event.occurred_at)


async def company_registered(conn: asyncpg.Connection, event: CompanyRegistered) -> None:
    """A company's name and HR contact: what a pair's members see of each other's company."""
    await store.companies.record_company(
        conn, event.company_id, event.name, event.hr_contact_name, event.hr_contact_email, event.occurred_at
    )


async def cohort_stated(conn: asyncpg.Connection, event: CohortOpened | CohortUpdated) -> None:
    """A cohort's name and timeline: the name gives a quote its year."""
    await store.cohorts.record_cohort(
        conn, event.cohort_id, event.name, event.kickoff_on, event.closing_on, event.occurred_at
    )


async def cohort_closed(conn: asyncpg.Connection, event: CohortClosed) -> None:
    """After it the cohort's pairs record nothing new (service_layer.access.ensure_cohort_running)."""
    await store.cohorts.record_closed(conn, event.cohort_id, event.closed_on)


@batched
async def participant_erased(conn: asyncpg.Connection, events: Sequence[ParticipantErased]) -> None:
    """The name goes, their personal links stop working, and the free text goes: the private notes of every session of the person's
    pairs and their agreements' terms (shared by the pair, about them both), and what they wrote in
    evaluations. Sessions, agreements and scaled answers stay: they still count."""
    erased = [event.participant_id for event in events]
    await remember_erased_subjects(conn, erased)  # kept through rebuilds: replays never bring them back
    await store.participants.erase_participants(conn, erased)
    await store.notes.delete_notes_of_members(conn, erased)
    await store.tokens.revoke_tokens_of_members(conn, erased)
    await store.agreements.blank_terms_of_members(conn, erased)
    await store.evaluations.delete_texts_of(conn, erased)
