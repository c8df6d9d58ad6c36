"""Logging, correcting and retracting a session: each decision yields the new state and its event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from services.sessions.domain.errors import Conflict, Refused
from services.sessions.domain.model import Pair, RetractionReason, Session, SessionDetails
from services.sessions.domain.rules import notes_problems, timing_problems
from shared.events import SessionCorrected, SessionHeld, SessionRetracted
from shared.events.sessions import LoggedBy

PRODUCER = "sessions"


@dataclass(frozen=True)
class Entry:
    """What a caller asks to record: the metadata and, from a member, private notes."""

    details: SessionDetails
    notes: str | None
    by: LoggedBy


@dataclass(frozen=True)
class FirstVersion:
    """How an existing session was first recorded, to recognise a repeated request."""

    session_id: UUID
    details: SessionDetails
    notes: str | None
    logged_by: LoggedBy


@dataclass(frozen=True)
class Logged:
    session: Session
    event: SessionHeld
    notes: str | None


@dataclass(frozen=True)
class Replayed:
    """The same session was logged before: answer as the first call did, record nothing."""

    session_id: UUID


def decide_log(
    pair: Pair,
    entry: Entry,
    *,
    first_at_same_start: FirstVersion | None,
    live_session_at_start: UUID | None,
    session_id: UUID,
    now: datetime,
    zone: ZoneInfo,
) -> Logged | Replayed:
    """Same pair and same start is one session: a repeat is replayed, a different account refused."""
    if first_at_same_start is not None:
        first = first_at_same_start
        if first.details == entry.details and first.notes == entry.notes:
            return Replayed(first.session_id)
        raise Conflict(
            "session_exists",
            f"this pair already logged a session starting then (by the {first.logged_by});"
            " correct that session to change it",
            session_id=first.session_id,
        )
    if live_session_at_start is not None:
        raise Conflict(
            "start_taken",
            "another session of this pair starts then; correct that session to change it",
            session_id=live_session_at_start,
        )
    problems = notes_problems(entry.by, entry.notes) + timing_problems(pair, entry.details, now, zone)
    if problems:
        raise Refused(problems)
    event = SessionHeld(
        session_id=session_id,
        pair_id=pair.pair_id,
        cohort_id=pair.cohort_id,
        producer=PRODUCER,
        version=1,
        logged_by=entry.by,
        **_metadata(entry.details),
    )
    session = Session(
        session_id=session_id,
        pair_id=pair.pair_id,
        cohort_id=pair.cohort_id,
        details=entry.details,
        logged_by=entry.by,
        version=1,
        retracted=False,
        first_event_id=event.event_id,
        last_event_id=event.event_id,
    )
    return Logged(session, event, entry.notes)


@dataclass(frozen=True)
class Correction:
    """Full new metadata; rating and notes are kept when the caller did not send them."""

    details: SessionDetails
    rating_sent: bool
    notes_sent: bool
    notes: str | None
    by: LoggedBy
    base_version: int | None = None


@dataclass(frozen=True)
class Corrected:
    session: Session
    event: SessionCorrected
    notes_changed: bool
    notes: str | None


@dataclass(frozen=True)
class Unchanged:
    """Nothing to record (a repeated correction or retraction): the session as it stands."""

    session: Session


def decide_correction(
    pair: Pair,
    session: Session,
    correction: Correction,
    *,
    current_notes: str | None,
    start_taken_by_other: bool,
    now: datetime,
    zone: ZoneInfo,
) -> Corrected | Unchanged:
    """A correction replaces the metadata as a new version; history stays."""
    if session.retracted:
        raise Conflict("retracted", "the session was retracted; log a new one instead")
    if correction.base_version is not None and correction.base_version != session.version:
        raise Conflict(
            "stale_version",
            f"the session is at version {session.version}, not {correction.base_version}: read it again",
            session_id=session.session_id,
        )
    details = correction.details
    if not correction.rating_sent:
        details = replace(details, rating=session.details.rating)
    notes_changed = correction.notes_sent and correction.notes != current_notes
    problems = notes_problems(correction.by, correction.notes if correction.notes_sent else None)
    problems += timing_problems(pair, details, now, zone)
    if problems:
        raise Refused(problems)
    if details == session.details and not notes_changed:
        return Unchanged(session)
    if start_taken_by_other:
        raise Conflict(
            "start_taken",
            "another session of this pair starts then; correct or retract that one first",
        )
    version = session.version + 1
    event = SessionCorrected(
        session_id=session.session_id,
        pair_id=session.pair_id,
        cohort_id=session.cohort_id,
        producer=PRODUCER,
        version=version,
        logged_by=session.logged_by,
        corrected_by=correction.by,
        correlation_id=session.first_event_id,
        causation_id=session.last_event_id,
        **_metadata(details),
    )
    corrected = replace(session, details=details, version=version, last_event_id=event.event_id)
    return Corrected(corrected, event, notes_changed, correction.notes if notes_changed else None)


@dataclass(frozen=True)
class Retracted:
    session: Session
    event: SessionRetracted
    reason: RetractionReason


def decide_retraction(session: Session, reason: RetractionReason, by: LoggedBy) -> Retracted | Unchanged:
    """Retracting says the session should not count; its history (and notes) stay with the pair."""
    if session.retracted:
        return Unchanged(session)
    version = session.version + 1
    event = SessionRetracted(
        session_id=session.session_id,
        pair_id=session.pair_id,
        cohort_id=session.cohort_id,
        producer=PRODUCER,
        reason=reason,
        version=version,
        retracted_by=by,
        correlation_id=session.first_event_id,
        causation_id=session.last_event_id,
    )
    retracted = replace(session, version=version, retracted=True, last_event_id=event.event_id)
    return Retracted(retracted, event, reason)


def _metadata(details: SessionDetails) -> dict[str, object]:
    return {
        "held_on": details.held_on,
        "started_at": details.started_at,
        "duration_minutes": details.duration_minutes,
        "format": details.format,
        "tools": details.tools,
        "rating": details.rating,
    }
