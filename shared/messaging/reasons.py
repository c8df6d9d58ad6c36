"""What a log line may say of an error met while handling a message: its kind and the project's own
words, never the message's content (a pydantic error repeats the value it refused, a display name;
a database error may quote the row)."""

from __future__ import annotations

import asyncpg
from pydantic import ValidationError

from shared.events.registry import NewerSchemaVersion, UndecodableEvent, fields_wrong


class InOwnWords(Exception):
    """An error whose message the project wrote from ids, types and positions only: safe to log."""


def loggable(error: BaseException) -> str:
    kind = type(error).__name__
    if isinstance(error, InOwnWords | UndecodableEvent | NewerSchemaVersion):
        return f"{kind}: {error}"[:500]
    if isinstance(error, ValidationError):
        return f"{kind}: {fields_wrong(error)}"[:500]
    if isinstance(error, asyncpg.PostgresError):
        return f"{kind} (SQLSTATE {error.sqlstate})"
    return kind
