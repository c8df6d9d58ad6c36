"""Lockout after repeated failed credential checks, the same for every route of every service.

A pure ASGI middleware installed by `service_app`: every answer 401 to a request that presented a
credential (a wrong, unknown or revoked admin token, company key or member token, whichever route
checked it, a dashboard sign-in or session included) counts as one failure of the client that asked. `auth_failures_max` failures within `auth_failure_window_s` lock
that client out for `auth_lockout_s`: every request of it is answered 429 `locked_out` with Retry-After,
a right credential too (else guessing would go on, the 429s telling the wrong guesses from the right
one). Probes (/healthz, /readyz, /metrics) are never refused. Requests that pass are not counted, and
other clients are not affected.

The client is the connection's peer address; from a peer listed in `trusted_proxies` (the web app,
which calls the services for its visitors) the last `X-Forwarded-For` address instead. The address
is kept for the request in `CLIENT_ADDRESS`, which the web app forwards the same way.

Counts are kept in the process: several instances of a service each count their own.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import LockedOut
from shared.http.errors import refusal_response
from shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("client_address", default=None)
"""The address of the client the current request is for, as the lockout judged it."""

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_CLIENTS = 10_000  # failure records kept at most; the oldest beyond are forgotten

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(listed: str) -> tuple[Network, ...]:
    """`127.0.0.1, 10.0.0.0/8` as networks."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in listed.split(",") if part.strip()
    )


def client_address(scope: Scope, trusted: tuple[Network, ...]) -> str:
    peer = scope.get("client")
    address = peer[0] if peer else "unknown"
    if trusted and _within(address, trusted):
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                forwarded = value.decode("latin-1").split(",")[-1].strip()
                return forwarded or address
    return address


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _presents_a_credential(scope: Scope) -> bool:
    """A bearer token, a cookie (a dashboard session) or a posted form (a sign-in): a 401 then means a
    credential was checked and failed. A request with none (a page opened before signing in) is not a
    guess, however often it comes."""
    if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
        return True
    return any(name in (b"authorization", b"cookie") for name, _ in scope.get("headers", ()))


class Failures:
    """Failed checks per client in a sliding window, and who is locked out until when."""

    def __init__(self, most: int, window_s: float, lockout_s: float, clock: Callable[[], float]) -> None:
        self.most, self.window_s, self.lockout_s, self.clock = most, window_s, lockout_s, clock
        self.recent: dict[str, deque[float]] = {}
        self.locked: dict[str, float] = {}

    def locked_for(self, client: str) -> float:
        """Seconds this client is still locked out; 0 when it is not."""
        until = self.locked.get(client)
        if until is None:
            return 0.0
        left = until - self.clock()
        if left <= 0:
            del self.locked[client]
            return 0.0
        return left

    def failed(self, client: str) -> bool:
        """Counts one failure; True when it locks the client out."""
        now = self.clock()
        times = self.recent.pop(client, None) or deque()
        times.append(now)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= self.most:
            self.locked[client] = now + self.lockout_s
            return True
        self.recent[client] = times  # re-inserted: the dict stays in order of last failure
        while len(self.recent) > MAX_CLIENTS:
            del self.recent[next(iter(self.recent))]
        return False


class CredentialLockout:
    def __init__(self, app: ASGIApp, settings: ServiceSettings, clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.trusted = trusted_networks(settings.trusted_proxies)
        self.failures = Failures(
            settings.auth_failures_max, settings.auth_failure_window_s, settings.auth_lockout_s, clock
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PROBES:
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.trusted)
        token = CLIENT_ADDRESS.set(client)
        try:
            left = self.failures.locked_for(client)
            if left > 0:
                refusal = LockedOut(
                    "too many failed credential checks from this client; try again later",
                    retry_after_s=math.ceil(left),
                )
                await refusal_response(refusal)(scope, receive, send)
                return

            checked = _presents_a_credential(scope)

            async def counting(message: Message) -> None:
                if checked and message["type"] == "http.response.start" and message["status"] == 401:
                    if self.failures.failed(client):
                        log.warning(
                            "credential checks locked out",
                            failures=self.failures.most,
                            window_s=self.failures.window_s,
                            lockout_s=self.failures.lockout_s,
                        )
                await send(message)

            await self.app(scope, receive, counting)
        finally:
            CLIENT_ADDRESS.reset(token)
