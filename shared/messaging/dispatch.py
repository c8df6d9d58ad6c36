"""The handler table of a consuming service: event type -> handlers, readable in one place.

A handler takes one event; a handler marked `@batched` takes a run of consecutive events of its type
(one `executemany` instead of a round trip per event). Either way events are applied in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from itertools import groupby
from typing import Any, TypeVar

import asyncpg
import structlog

from shared.events import Event

Handler = Callable[[asyncpg.Connection, Any], Awaitable[None]]
H = TypeVar("H", bound=Handler)


def batched(handler: H) -> H:
    """Mark a handler as taking `Sequence[EventType]`: consecutive events of its type, in order."""
    handler.batched = True  # type: ignore[attr-defined]
    return handler


def is_batched(handler: Handler) -> bool:
    return bool(getattr(handler, "batched", False))


class Dispatcher:
    """A projection that calls each event's handlers in order, with the event bound to the logs."""

    def __init__(self, handlers: Mapping[type[Event], Sequence[Handler]]) -> None:
        for event_type, chosen in handlers.items():
            if len({is_batched(h) for h in chosen}) > 1:
                raise ValueError(f"{event_type.__name__}: handlers are all batched or all per event")
        self._handlers = handlers

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        for event_type, run in groupby(events, key=type):
            handlers = self._handlers.get(event_type, ())
            if not handlers:
                continue
            run_events = list(run)
            if is_batched(handlers[0]):
                with structlog.contextvars.bound_contextvars(
                    event_type=event_type.__name__, events=len(run_events)
                ):
                    for handler in handlers:
                        await handler(conn, run_events)
                continue
            for event in run_events:
                with structlog.contextvars.bound_contextvars(
                    event_id=str(event.event_id),
                    correlation_id=str(event.correlation_id or event.event_id),
                    event_type=event.event_type,
                ):
                    for handler in handlers:
                        await handler(conn, event)
