"""How intake applies the events its reminders need: pairs from matching; sessions, agreements and
evaluations from sessions.
Only ids, dates and versions are kept: nothing a reminder would not state."""

from __future__ import annotations

import asyncpg

from services.intake.store import reminder_facts as store
from shared.events import (
    AgreementRecorded,
    EvaluationOpened,
    EvaluationSubmitted,
    PairEnded,
    PairMatched,
    SessionCorrected,
    SessionHeld,
    SessionRetracted,
)


async def pair_matched(conn: asyncpg.Connection, event: PairMatched) -> None:
    await store.record_pair(
        conn, event.pair_id, event.cohort_id, event.mentee_id, event.mentor_id, event.occurred_at
    )


async def pair_ended(conn: asyncpg.Connection, event: PairEnded) -> None:
    await store.record_pair_ended(conn, event.pair_id, event.ended_on)


async def session_held(conn: asyncpg.Connection, event: SessionHeld | SessionCorrected) -> None:
    await store.record_session(conn, event.session_id, event.pair_id, event.held_on, event.version or 0)


async def session_retracted(conn: asyncpg.Connection, event: SessionRetracted) -> None:
    await store.retract_session(conn, event.session_id, event.pair_id)


async def agreement_recorded(conn: asyncpg.Connection, event: AgreementRecorded) -> None:
    """Any statement of the agreement means the pair has one (its terms stay in sessions)."""
    await store.record_agreement(conn, event.pair_id, event.recorded_on)


async def evaluation_opened(conn: asyncpg.Connection, event: EvaluationOpened) -> None:
    await store.record_evaluation(
        conn, event.evaluation_id, event.cohort_id, event.kind, event.opens_on, event.closes_on
    )


async def evaluation_submitted(conn: asyncpg.Connection, event: EvaluationSubmitted) -> None:
    """Only who answered: the scores are reporting's."""
    await store.record_answer(conn, event.evaluation_id, event.participant_id)
