"""Personal fields of events: sealed by the writer before they reach the outbox, opened by every
consumer before its handlers see them.

A contract names its personal fields in `SEALED` (field -> the field holding the subject's id). A
consumer's handlers get the plain value, or `ERASED` once the subject's key is destroyed or the
service has recorded the subject as erased (`erased_subjects`, kept through rebuilds).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from shared.events import Event, ParticipantErased
from shared.messaging.consumer import Projection
from shared.privacy import crypto
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


def _subject(event: Event, field: str, value: str) -> UUID:
    sealed_for = crypto.subject_of(value)
    return sealed_for if sealed_for is not None else getattr(event, type(event).SEALED[field])


def _personal(events: Sequence[Event]) -> list[tuple[int, Event, str, str]]:
    """(position, event, field, value) of every non-empty personal value in `events`."""
    return [
        (i, event, field, value)
        for i, event in enumerate(events)
        for field in type(event).SEALED
        if (value := getattr(event, field))
    ]


async def seal_events(vault: Vault, events: Sequence[Event]) -> list[Event]:
    """The events with every plain personal value sealed under its subject's key (made if new)."""
    plain = [(i, e, f, v) for i, e, f, v in _personal(events) if not crypto.is_sealed(v)]
    if not plain:
        return list(events)
    keys = await vault.ensure_keys({_subject(e, f, v) for _, e, f, v in plain})
    updates: dict[int, dict[str, Any]] = {}
    for i, event, field, value in plain:
        subject = _subject(event, field, value)
        updates.setdefault(i, {})[field] = crypto.seal(keys[subject], subject, value)
    return [event.model_copy(update=updates[i]) if i in updates else event for i, event in enumerate(events)]


async def seal_under_existing_key(vault: Vault, subject: UUID, text: str) -> str | None:
    """For a service that only reads the vault: `text` sealed under its subject's key, or None when the
    subject has no key (never registered through intake) or it was destroyed (erased): nothing to send."""
    key = (await vault.keys([subject])).get(subject)
    return crypto.seal(key, subject, text) if key is not None else None


async def erased_here(conn: asyncpg.Connection, subjects: Sequence[UUID]) -> set[UUID]:
    rows = await conn.fetch("SELECT subject FROM erased_subjects WHERE subject = ANY($1::uuid[])", subjects)
    return {row["subject"] for row in rows}


async def remember_erased_subjects(conn: asyncpg.Connection, subjects: Sequence[UUID]) -> None:
    """Every consumer's ParticipantErased handler: the person stays erased through any rebuild or replay,
    whatever their old events say (`erased_subjects` is outside the projections a rebuild empties)."""
    await conn.execute(
        "INSERT INTO erased_subjects (subject) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING", subjects
    )


async def open_events(conn: asyncpg.Connection, vault: Vault, events: Sequence[Event]) -> list[Event]:
    """The events with every personal value opened: plain text, or ERASED for an erased subject."""
    personal = _personal(events)
    if not personal:
        return list(events)
    subjects = {_subject(e, f, v) for _, e, f, v in personal}
    erased = await erased_here(conn, list(subjects))
    keys = await vault.keys(subjects - erased)
    updates: dict[int, dict[str, Any]] = {}
    unknown = 0
    for i, event, field, value in personal:
        subject = _subject(event, field, value)
        key = keys.get(subject)
        if subject in erased or (subject in keys and key is None):
            opened = crypto.ERASED
        elif not crypto.is_sealed(value):
            continue  # a plain value from before sealing, of a subject not erased
        elif key is None:
            unknown += 1  # sealed, yet the vault has no key: it cannot be read, so it is as erased
            opened = crypto.ERASED
        else:
            opened = crypto.open_sealed(key, value)
        updates.setdefault(i, {})[field] = opened
    if unknown:
        log.warning("sealed values without a key in the vault read as erased", values=unknown)
    return [event.model_copy(update=updates[i]) if i in updates else event for i, event in enumerate(events)]


def opening(vault: Vault, apply: Projection) -> Projection:
    """The projection, with each batch's personal values opened before its handlers see them."""

    async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        vault.forget(e.participant_id for e in events if isinstance(e, ParticipantErased))
        await apply(conn, await open_events(conn, vault, events))

    return project
