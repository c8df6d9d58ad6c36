"""Personal fields of events: sealed by the writer before they reach the outbox, opened by every
consumer before its handlers see them.

A contract names its personal fields in `SEALED` (field -> the field holding the subject's id). A
consumer's handlers get the plain value, or `ERASED` once the subject's key is destroyed or the
service has recorded the subject as erased (`erased_subjects`, kept through rebuilds).
"""

from __future__ import annotations

import asyncio
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

_MAX_LAYERS = 4
"""How many seals one value may carry (`seal_nested`); a deeper one is not ours and reads as erased."""


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


async def seal_nested(vault: Vault, subjects: Sequence[UUID], text: str) -> str | None:
    """For a value that is personal to several people (the reason a pair ended, which may name either
    member): sealed under each subject's key in turn, the first innermost, so it opens only while every
    key exists and erasing any one of them shreds it. Only reads the vault. None when one of them was
    erased (nothing to send); `text` as it is when none of them has a key (never registered through
    intake: nothing to seal with)."""
    keys = await vault.keys(subjects)
    if any(keys.get(subject, b"") is None for subject in subjects):
        return None
    if not keys:
        return text
    sealed = text
    for subject in subjects:
        key = keys.get(subject)
        if key is not None:
            sealed = crypto.seal(key, subject, sealed)
    return sealed


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
    """The events with every personal value opened: plain text, or ERASED for an erased subject.

    A value sealed again inside (`seal_nested`: one value of two people) is opened layer by layer; it
    reads as ERASED as soon as any of its subjects is erased. Each layer asks the service's own record of
    who was erased and the vault at the same time (one round trip, not two)."""
    personal = _personal(events)
    if not personal:
        return list(events)
    pending: dict[tuple[int, str], tuple[UUID, str, bool]] = {}  # where -> (subject, value, sealed)
    for i, event, field, value in personal:
        sealed_for = crypto.subject_of(value)
        subject = sealed_for if sealed_for is not None else getattr(event, type(event).SEALED[field])
        pending[(i, field)] = (subject, value, sealed_for is not None)
    opened: dict[tuple[int, str], str] = {}
    unknown = 0
    for layer in range(_MAX_LAYERS + 1):
        if not pending:
            break
        subjects = {subject for subject, _, _ in pending.values()}
        erased, keys = await asyncio.gather(erased_here(conn, list(subjects)), vault.keys(subjects))
        following: dict[tuple[int, str], tuple[UUID, str, bool]] = {}
        for where, (subject, value, sealed) in pending.items():
            key = keys.get(subject)
            if subject in erased or (subject in keys and key is None):
                opened[where] = crypto.ERASED
            elif not sealed:
                if layer:
                    opened[where] = value  # the plain text inside the last layer
                # else: a plain value from before sealing, of a subject not erased: left as it is
            elif key is None or layer == _MAX_LAYERS:
                unknown += 1  # sealed, yet the vault has no key: it cannot be read, so it is as erased
                opened[where] = crypto.ERASED
            else:
                inner = crypto.open_sealed(key, value, subject)
                if crypto.is_sealed(inner):
                    inner_subject = crypto.subject_of(inner)
                    assert inner_subject is not None
                    following[where] = (inner_subject, inner, True)
                else:
                    opened[where] = inner
        pending = following
    if unknown:
        log.warning("sealed values without a key in the vault read as erased", values=unknown)
    updates: dict[int, dict[str, Any]] = {}
    for (i, field), value in opened.items():
        updates.setdefault(i, {})[field] = value
    return [event.model_copy(update=updates[i]) if i in updates else event for i, event in enumerate(events)]


def opening(vault: Vault, apply: Projection) -> Projection:
    """The projection, with each batch's personal values opened before its handlers see them."""

    async def project(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        vault.forget(e.participant_id for e in events if isinstance(e, ParticipantErased))
        await apply(conn, await open_events(conn, vault, events))

    return project
