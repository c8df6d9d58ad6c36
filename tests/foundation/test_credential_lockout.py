"""Repeated failed credential checks lock a client out of every service, for a while (issue 16).

Each service runs for real (its database, the broker); clients are told apart by the address the
ASGI transport gives them, as a server tells connections apart by their peer address."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.matching.app import create_app as matching_app
from services.matching.settings import MatchingSettings
from services.reporting.app import create_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.sessions.app import create_app as sessions_app
from services.sessions.settings import SessionsSettings
from services.web.store.api import ServiceApi
from shared.http.lockout import CLIENT_ADDRESS, Failures, client_address, trusted_networks
from tests.support.services import run_service

ADMIN = "lockout-admin-token"
STAFF = {"Authorization": f"Bearer {ADMIN}"}
MOST = 3
LOCKOUT_S = 1.5
UNKNOWN_COHORT = "/v1/cohorts/00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Service:
    name: str
    settings: type[Any]
    create: Callable[[Any], FastAPI]
    good: tuple[str, int]  # a staff call (GET) and its answer
    wrong: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]  # a failed check, answered 401


def _bearer(path: str, prefix: str) -> Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]:
    async def wrong(client: httpx.AsyncClient, n: int) -> httpx.Response:
        return await client.get(path, headers={"Authorization": f"Bearer {prefix}guess-{n}"})

    return wrong


async def _dashboard_sign_in(client: httpx.AsyncClient, n: int) -> httpx.Response:
    return await client.post("/dashboard/login", data={"token": f"mn_guess-{n}"})


SERVICES = [
    Service("intake", IntakeSettings, intake_app, ("/v1/companies", 200), _bearer("/v1/participants", "mn_")),
    Service("matching", MatchingSettings, matching_app, (UNKNOWN_COHORT, 404), _bearer(UNKNOWN_COHORT, "")),
    Service("sessions", SessionsSettings, sessions_app, ("/v1/pairs", 200), _bearer("/v1/me", "mnp_")),
    Service("reporting", ReportingSettings, reporting_app, ("/api/cohorts", 200), _dashboard_sign_in),
]


def _client(app: FastAPI, address: str, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
async def test_too_many_failed_checks_lock_that_client_out_and_no_one_else(
    service: Service, make_settings: Callable[..., Awaitable[Any]]
) -> None:
    settings = await make_settings(
        service.settings,
        admin_token=ADMIN,
        auth_failures_max=MOST,
        auth_failure_window_s=60,
        auth_lockout_s=LOCKOUT_S,
    )
    app = service.create(settings)
    path, status = service.good
    async with run_service(app), _client(app, "192.0.2.10") as guesser, _client(app, "192.0.2.20") as other:
        assert (await guesser.get(path, headers=STAFF)).status_code == status
        for _ in range(3 * MOST):  # no credential at all (a page opened before signing in): no guess
            assert (await guesser.get(path)).status_code == 401
        assert (await guesser.get(path, headers=STAFF)).status_code == status
        for n in range(MOST):
            answer = await service.wrong(guesser, n)
            assert answer.status_code == 401, answer.text
        locked = await guesser.get(path, headers=STAFF)  # the right credential too
        assert locked.status_code == 429, locked.text
        assert locked.json()["code"] == "locked_out"
        assert 1 <= int(locked.headers["Retry-After"]) <= 2
        assert (await service.wrong(guesser, 99)).status_code == 429  # no more guesses are judged
        assert (await guesser.get("/healthz")).status_code == 200  # probes are never refused
        assert (await other.get(path, headers=STAFF)).status_code == status  # others unaffected
        await asyncio.sleep(LOCKOUT_S + 0.2)
        assert (await guesser.get(path, headers=STAFF)).status_code == status


async def test_successful_checks_do_not_count_and_a_trusted_proxy_names_its_clients(
    make_settings: Callable[..., Awaitable[Any]],
) -> None:
    """Through the web app (a trusted proxy) each visitor is counted on its own; from anyone else
    X-Forwarded-For is ignored, so a guesser cannot make itself new addresses."""
    settings = await make_settings(
        MatchingSettings, admin_token=ADMIN, auth_failures_max=MOST, trusted_proxies="192.0.2.80/29"
    )
    app = matching_app(settings)
    async with run_service(app), _client(app, "192.0.2.81") as web, _client(app, "198.51.100.1") as direct:
        visitor = {"X-Forwarded-For": "203.0.113.5"}
        for _ in range(3 * MOST):
            assert (await web.get(UNKNOWN_COHORT, headers={**STAFF, **visitor})).status_code == 404
        for n in range(MOST):
            wrong = {"Authorization": f"Bearer x{n}", **visitor}
            assert (await web.get(UNKNOWN_COHORT, headers=wrong)).status_code == 401
            if n < MOST - 1:  # the successes before did not count
                assert (await web.get(UNKNOWN_COHORT, headers={**STAFF, **visitor})).status_code == 404
        assert (await web.get(UNKNOWN_COHORT, headers={**STAFF, **visitor})).status_code == 429
        another = {**STAFF, "X-Forwarded-For": "203.0.113.6"}
        assert (await web.get(UNKNOWN_COHORT, headers=another)).status_code == 404
        for n in range(MOST):
            forged = {"Authorization": f"Bearer x{n}", "X-Forwarded-For": f"203.0.113.{100 + n}"}
            assert (await direct.get(UNKNOWN_COHORT, headers=forged)).status_code == 401
        assert (await direct.get(UNKNOWN_COHORT, headers=STAFF)).status_code == 429


def test_failures_slide_out_of_the_window_and_the_lockout_ends() -> None:
    now = [0.0]
    failures = Failures(3, window_s=10, lockout_s=30, clock=lambda: now[0])
    assert not failures.failed("a") and not failures.failed("a")
    now[0] = 11  # both fell out of the window
    assert not failures.failed("a") and not failures.failed("a")
    assert failures.failed("a")
    assert failures.locked_for("a") == 30 and failures.locked_for("b") == 0
    now[0] = 41
    assert failures.locked_for("a") == 0


def test_x_forwarded_for_counts_only_from_a_trusted_peer() -> None:
    trusted = trusted_networks("127.0.0.1, 10.0.0.0/8")
    scope = {"client": ("10.1.2.3", 5), "headers": [(b"x-forwarded-for", b"1.1.1.1, 203.0.113.9")]}
    assert client_address(scope, trusted) == "203.0.113.9"
    assert client_address({**scope, "client": ("192.0.2.1", 5)}, trusted) == "192.0.2.1"
    assert client_address(scope, ()) == "10.1.2.3"


async def test_the_web_app_names_its_visitor_to_the_services_it_calls() -> None:
    """The web app's calls carry the visitor's address (which the lockout judged for the web app's own
    request) as X-Forwarded-For: a service that trusts the web app counts each visitor on its own."""
    echo = FastAPI()

    @echo.get("/seen")
    async def seen(request: Request) -> dict[str, str | None]:
        return {"forwarded": request.headers.get("x-forwarded-for")}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=echo), base_url="http://intake") as http:
        api = ServiceApi("intake", http)
        assert await api.call("GET", "/seen", None) == {"forwarded": None}  # no visitor: nothing claimed
        token = CLIENT_ADDRESS.set("203.0.113.77")
        try:
            assert await api.call("GET", "/seen", "mn_key") == {"forwarded": "203.0.113.77"}
        finally:
            CLIENT_ADDRESS.reset(token)
