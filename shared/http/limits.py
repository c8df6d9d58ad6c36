"""Refuse bodies over the documented size with 413 before the application reads them.

Installed by `service_app` on every service, outside everything else: a body is capped before any
route, authentication included, reads it; a declared Content-Length over the limit is refused without
reading a byte of the body, and a chunked body is counted and refused as soon as it passes the limit."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import TooLarge
from shared.http.errors import refusal_response


class BodySizeLimit:
    """A pure ASGI middleware: checks Content-Length, and counts the bytes of chunked bodies."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > limit:
                await _refuse(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:  # no Content-Length: read it all here, up to the limit, then hand it on
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _refuse(scope, receive, send, limit)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """The one refusal shape, answered here: the request never reaches the app's handlers."""
    refusal = TooLarge(
        f"the body is larger than {limit} bytes", "body_too_large", extra={"limit_bytes": limit}
    )
    await refusal_response(refusal)(scope, receive, send)
