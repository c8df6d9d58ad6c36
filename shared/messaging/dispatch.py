"""The handler table of a consuming service: event type -> handlers, readable in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

import asyncpg
import structlog

from shared.events import Event

Handler = Callable[[asyncpg.Connection, Event], Awaitable[None]]


class Dispatcher:
    """A projection that calls each event's handlers in order, with the event bound to the logs."""

    def __init__(self, handlers: Mapping[type[Event], Sequence[Handler]]) -> None:
        self._handlers = handlers

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        for event in events:
            handlers = self._handlers.get(type(event), ())
            if not handlers:
                continue
            with structlog.contextvars.bound_contextvars(
                event_id=str(event.event_id),
                correlation_id=str(event.correlation_id or event.event_id),
                event_type=event.event_type,
            ):
                for handler in handlers:
                    await handler(conn, event)
