"""The handlers of every event reporting consumes (flow.EVENT_HANDLERS), and how a batch is applied.

Topics are consumed independently and replayed after a broker restart, so any event may come before
the one it follows (a SessionHeld before its PairMatched) or twice. Every store write is an upsert that
ends in the same row whatever the order, which lets a batch be applied grouped by handler: one
`executemany` per handler, however the kinds interleave in the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any, TypeVar

import asyncpg
import structlog

from services.reporting.store import cohorts, companies, pairs, participants, sessions
from shared import events as ev
from shared.messaging.consumer import Projection
from shared.messaging.dispatch import Handler, batched, is_batched

log = structlog.get_logger(__name__)

REGISTERED, UPDATED = 0, 1  # a profile update beats a registration stamped at the same instant
HELD, CORRECTED = 0, 1
R = TypeVar("R", bound=tuple[Any, ...])


def rows(row: Callable[..., R], events: Sequence[ev.Event], **computed: Callable[[Any], Any]) -> list[R]:
    """Each event as a store row. A row's fields are named after its columns; each takes the event's
    field of the same name, else `<x>_at` is when the event happened and `<x>_event` its id, else
    `computed` says how."""
    fields: tuple[str, ...] = row._fields  # type: ignore[attr-defined]
    readers: dict[type[ev.Event], list[Callable[[Any], Any]]] = {}

    def reader(event_type: type[ev.Event], field: str) -> Callable[[Any], Any]:
        if field in computed:
            return computed[field]
        if field in event_type.model_fields:
            return attrgetter(field)
        return attrgetter({"_at": "occurred_at", "_event": "event_id"}[field[field.rindex("_") :]])

    made = []
    for e in events:
        got = readers.get(type(e)) or readers.setdefault(type(e), [reader(type(e), f) for f in fields])
        made.append(row(*(read(e) for read in got)))
    return made


@batched
async def state_cohorts(
    conn: asyncpg.Connection, events: Sequence[ev.CohortOpened | ev.CohortUpdated]
) -> None:
    await cohorts.state_cohorts(conn, rows(cohorts.CohortRow, events))


@batched
async def register_companies(conn: asyncpg.Connection, events: Sequence[ev.CompanyRegistered]) -> None:
    await companies.register_companies(conn, rows(companies.CompanyRow, events))


@batched
async def issue_keys(conn: asyncpg.Connection, events: Sequence[ev.CompanyApiKeyIssued]) -> None:
    await companies.issue_keys(conn, rows(companies.KeyRow, events))


@batched
async def revoke_keys(conn: asyncpg.Connection, events: Sequence[ev.CompanyApiKeyRevoked]) -> None:
    await companies.revoke_keys(conn, rows(companies.RevocationRow, events))


def _profile_rank(e: ev.ParticipantRegistered | ev.ParticipantProfileUpdated) -> int:
    return UPDATED if isinstance(e, ev.ParticipantProfileUpdated) else REGISTERED


@batched
async def record_profiles(
    conn: asyncpg.Connection, events: Sequence[ev.ParticipantRegistered | ev.ParticipantProfileUpdated]
) -> None:
    await participants.record_profiles(
        conn, rows(participants.ProfileRow, events, profile_rank=_profile_rank)
    )


@batched
async def withdraw(conn: asyncpg.Connection, events: Sequence[ev.ParticipantWithdrawn]) -> None:
    await participants.withdraw(conn, rows(participants.WithdrawalRow, events))


@batched
async def match_pairs(conn: asyncpg.Connection, events: Sequence[ev.PairMatched]) -> None:
    await pairs.match_pairs(conn, rows(pairs.MatchRow, events))


@batched
async def end_pairs(conn: asyncpg.Connection, events: Sequence[ev.PairEnded]) -> None:
    await pairs.end_pairs(conn, rows(pairs.EndRow, events, end_reason=attrgetter("reason")))


def _version_rank(e: ev.SessionHeld | ev.SessionCorrected) -> int:
    return CORRECTED if isinstance(e, ev.SessionCorrected) else HELD


@batched
async def record_sessions(
    conn: asyncpg.Connection, events: Sequence[ev.SessionHeld | ev.SessionCorrected]
) -> None:
    """Metadata only: the rating is deliberately not kept, so no view can ever show one."""
    await sessions.record_sessions(
        conn,
        rows(
            sessions.SessionRow, events,
            tools=lambda e: list(e.tools), version_no=lambda e: e.version or 0, version_rank=_version_rank,
        ),
    )  # fmt: skip


@batched
async def retract_sessions(conn: asyncpg.Connection, events: Sequence[ev.SessionRetracted]) -> None:
    await sessions.retract_sessions(conn, rows(sessions.RetractionRow, events))


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
