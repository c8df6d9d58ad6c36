"""How sessions applies matching's events: its own projection of pairs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import asyncpg

from services.sessions import store
from shared.events import PairEnded, PairMatched
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

    return Dispatcher({PairMatched: [pair_matched], PairEnded: [pair_ended]})
