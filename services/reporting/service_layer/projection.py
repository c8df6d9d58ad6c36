"""The handlers of every event reporting consumes (flow.EVENT_HANDLERS), and how a batch is applied.

Topics are consumed independently and replayed after a broker restart, so any event may come before
the one it follows (a SessionHeld before its PairMatched) or twice. Every store write is an upsert that
ends in the same row whatever the order, which lets a batch be applied grouped by handler: one
`executemany` per handler, however the kinds interleave in the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import asyncpg
import structlog

from services.reporting.store import cohorts, companies, pairs, participants, sessions, year
from shared import events as ev
from shared.member_access import forget_member_tokens
from shared.messaging.consumer import Projection
from shared.messaging.dispatch import Handler, batched, is_batched
from shared.privacy import ERASED, is_sealed
from shared.privacy.sealing import erased_here, remember_erased_subjects

log = structlog.get_logger(__name__)

REGISTERED, UPDATED = 0, 1  # a profile update beats a registration stamped at the same instant
HELD, CORRECTED = 0, 1


def cohort_row(e: ev.CohortOpened | ev.CohortUpdated) -> cohorts.CohortRow:
    return cohorts.CohortRow(
        e.cohort_id, e.name, e.intake_opens_on, e.intake_closes_on, e.kickoff_on, e.midpoint_on, e.closing_on,
        e.occurred_at, e.event_id,
    )  # fmt: skip


def company_row(e: ev.CompanyRegistered) -> companies.CompanyRow:
    return companies.CompanyRow(
        e.company_id, e.name, e.hr_contact_name, e.hr_contact_email, e.occurred_at, e.event_id
    )


def profile_row(e: ev.ParticipantRegistered | ev.ParticipantProfileUpdated) -> participants.ProfileRow:
    rank = UPDATED if isinstance(e, ev.ParticipantProfileUpdated) else REGISTERED
    return participants.ProfileRow(
        e.participant_id, e.company_id, e.cohort_id, e.role, e.display_name, e.occurred_at, rank, e.event_id
    )


def withdrawal_row(e: ev.ParticipantWithdrawn) -> participants.WithdrawalRow:
    return participants.WithdrawalRow(
        e.participant_id, e.company_id, e.cohort_id, e.role, e.occurred_at, e.event_id
    )


def match_row(e: ev.PairMatched) -> pairs.MatchRow:
    return pairs.MatchRow(
        e.pair_id, e.cohort_id, e.mentee_id, e.mentor_id, e.mentee_company_id, e.mentor_company_id,
        e.occurred_at, e.event_id,
    )  # fmt: skip


def end_row(e: ev.PairEnded) -> pairs.EndRow:
    return pairs.EndRow(
        e.pair_id, e.cohort_id, e.mentee_id, e.mentor_id, e.ended_on, e.reason, e.do_not_rematch,
        e.occurred_at, e.event_id,
    )  # fmt: skip


def session_row(e: ev.SessionHeld | ev.SessionCorrected) -> sessions.SessionRow:
    """Metadata only: the rating is deliberately not kept, so no view can ever show one."""
    rank = CORRECTED if isinstance(e, ev.SessionCorrected) else HELD
    return sessions.SessionRow(
        e.session_id, e.pair_id, e.cohort_id, e.held_on, e.started_at, e.duration_minutes, e.format,
        list(e.tools), e.version or 0, e.occurred_at, rank, e.event_id,
    )  # fmt: skip


@batched
async def state_cohorts(
    conn: asyncpg.Connection, events: Sequence[ev.CohortOpened | ev.CohortUpdated]
) -> None:
    await cohorts.state_cohorts(conn, [cohort_row(e) for e in events])


@batched
async def register_companies(conn: asyncpg.Connection, events: Sequence[ev.CompanyRegistered]) -> None:
    await companies.register_companies(conn, [company_row(e) for e in events])


@batched
async def issue_keys(conn: asyncpg.Connection, events: Sequence[ev.CompanyApiKeyIssued]) -> None:
    await companies.issue_keys(conn, [companies.KeyRow(e.key_id, e.company_id, e.key_hash) for e in events])


@batched
async def revoke_keys(conn: asyncpg.Connection, events: Sequence[ev.CompanyApiKeyRevoked]) -> None:
    await companies.revoke_keys(conn, [companies.RevocationRow(e.key_id, e.company_id) for e in events])


@batched
async def record_profiles(
    conn: asyncpg.Connection, events: Sequence[ev.ParticipantRegistered | ev.ParticipantProfileUpdated]
) -> None:
    await participants.record_profiles(conn, [profile_row(e) for e in events])


@batched
async def withdraw(conn: asyncpg.Connection, events: Sequence[ev.ParticipantWithdrawn]) -> None:
    await participants.withdraw(conn, [withdrawal_row(e) for e in events])


@batched
async def erase(conn: asyncpg.Connection, events: Sequence[ev.ParticipantErased]) -> None:
    """The name goes; the person, their pairs and sessions still count, shown as erased."""
    erased = [e.participant_id for e in events]
    await remember_erased_subjects(conn, erased)  # kept through rebuilds: replays never bring them back
    await forget_member_tokens(conn, erased)  # their links are recognised here no more
    await participants.erase(conn, erased)
    await pairs.erase_end_reasons(conn, erased)
    await year.drop_quotes_of(conn, erased)


@batched
async def match_pairs(conn: asyncpg.Connection, events: Sequence[ev.PairMatched]) -> None:
    await pairs.match_pairs(conn, [match_row(e) for e in events])


@batched
async def end_pairs(conn: asyncpg.Connection, events: Sequence[ev.PairEnded]) -> None:
    members = [m for e in events for m in (e.mentee_id, e.mentor_id)]
    erased = await erased_here(conn, members)  # a plain reason from before sealing, of an erased member
    rows = [end_row(e) for e in events]
    await pairs.end_pairs(
        conn, [r._replace(end_reason=ERASED) if {r.mentee_id, r.mentor_id} & erased else r for r in rows]
    )


@batched
async def record_sessions(
    conn: asyncpg.Connection, events: Sequence[ev.SessionHeld | ev.SessionCorrected]
) -> None:
    await sessions.record_sessions(conn, [session_row(e) for e in events])


@batched
async def retract_sessions(conn: asyncpg.Connection, events: Sequence[ev.SessionRetracted]) -> None:
    rows = [
        sessions.RetractionRow(e.session_id, e.pair_id, e.cohort_id, e.occurred_at, e.event_id)
        for e in events
    ]
    await sessions.retract_sessions(conn, rows)


@batched
async def close_cohorts(conn: asyncpg.Connection, events: Sequence[ev.CohortClosed]) -> None:
    await cohorts.close_cohorts(conn, [(e.cohort_id, e.closed_on) for e in events])


@batched
async def state_agreements(conn: asyncpg.Connection, events: Sequence[ev.AgreementRecorded]) -> None:
    rows = [
        year.AgreementRow(
            e.pair_id,
            e.cohort_id,
            e.frequency,
            e.recorded_on,
            e.confirmed_by_mentor,
            e.confirmed_by_mentee,
            e.version,
        )  # fmt: skip
        for e in events
    ]
    await year.state_agreements(conn, rows)


@batched
async def open_evaluations(conn: asyncpg.Connection, events: Sequence[ev.EvaluationOpened]) -> None:
    rows = [year.EvaluationRow(e.evaluation_id, e.cohort_id, e.kind, e.opens_on, e.closes_on) for e in events]
    await year.open_evaluations(conn, rows)


@batched
async def record_answers(conn: asyncpg.Connection, events: Sequence[ev.EvaluationSubmitted]) -> None:
    """Scaled answers only: no free text ever travels here."""
    rows = [
        year.AnswerRow(
            e.evaluation_id,
            e.participant_id,
            e.cohort_id,
            e.role,
            e.company_id,
            e.scores.expectations_met,
            e.scores.learning,
            e.scores.openness,
            e.scores.programme,
        )  # fmt: skip
        for e in events
    ]
    await year.record_answers(conn, rows)


@batched
async def record_quotes(conn: asyncpg.Connection, events: Sequence[ev.EvaluationQuoteConsented]) -> None:
    """Quotes opened by the consumer (shared/privacy): one whose author's key is gone reads as erased
    and is not kept."""
    rows = [
        year.QuoteRow(e.evaluation_id, e.participant_id, e.cohort_id, e.kind, e.role, e.year, e.quote)
        for e in events
        if e.quote != ERASED and not is_sealed(e.quote)
    ]
    await year.record_quotes(conn, rows)


@batched
async def withdraw_quotes(conn: asyncpg.Connection, events: Sequence[ev.EvaluationQuoteWithdrawn]) -> None:
    await year.withdraw_quotes(conn, [(e.evaluation_id, e.participant_id, e.cohort_id) for e in events])


def grouped(handlers: Mapping[type[ev.Event], Sequence[Handler]]) -> Projection:
    """The projection applying `handlers` (every one batched) to a batch inside the consumer's
    transaction: the cohorts the batch names made known first, then each handler once, with all of the
    batch's events it takes, in their order. (The shared Dispatcher calls a handler per run of one
    event type; reporting's writes commute, so it may group the whole batch and save the round trips.)"""
    per_event = [t.__name__ for t, chosen in handlers.items() if not all(map(is_batched, chosen))]
    if per_event:
        raise ValueError(f"reporting's handlers take batches: {', '.join(per_event)}")

    async def project(conn: asyncpg.Connection, events: Sequence[ev.Event]) -> None:
        runs: dict[Handler, list[ev.Event]] = {}
        for event in events:
            chosen = handlers.get(type(event), ())
            if not chosen:
                log.debug("event not reported on", event_type=event.event_type, event_id=str(event.event_id))
            for handler in chosen:
                runs.setdefault(handler, []).append(event)
        named = [cohort_id for e in events if (cohort_id := getattr(e, "cohort_id", None)) is not None]
        if named:
            await cohorts.touch_cohorts(conn, named)
        for handler, run in runs.items():
            await handler(conn, run)

    return project
