"""How sessions applies the events it consumes: pairs from matching, members' names from intake."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import asyncpg

from services.sessions import store
from shared.events import (
    PairEnded,
    PairMatched,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)
from shared.messaging.dispatch import Dispatcher


def projection(zone: ZoneInfo) -> Dispatcher:
    """The handler table; the programme's zone turns a match's instant into its date."""

    async def pair_matched(conn: asyncpg.Connection, event: PairMatched) -> None:
        await store.record_pair_matched(
            conn,
            pair_id=event.pair_id,
            cohort_id=event.cohort_id,
            mentee_id=event.mentee_id,
            mentor_id=event.mentor_id,
            matched_on=event.occurred_at.astimezone(zone).date(),
        )

    async def pair_ended(conn: asyncpg.Connection, event: PairEnded) -> None:
        await store.record_pair_ended(
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
        await store.record_participant_named(
            conn, event.participant_id, event.display_name, event.occurred_at
        )

    async def participant_withdrawn(conn: asyncpg.Connection, event: ParticipantWithdrawn) -> None:
        await store.record_participant_withdrawn(conn, event.participant_id, event.occurred_at)

    return Dispatcher(
        {
            PairMatched: [pair_matched],
            PairEnded: [pair_ended],
            ParticipantRegistered: [participant_named],
            ParticipantProfileUpdated: [participant_named],
            ParticipantWithdrawn: [participant_withdrawn],
        }
    )
