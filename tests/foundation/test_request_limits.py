"""Every service caps a body before anything reads it (authentication included), and refuses a NUL
character or JSON nested too deep with a 422 naming where, whatever the route (issue 16)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.intake.app import create_app as intake_app
from services.matching.app import create_app as matching_app
from services.reporting.app import create_app as reporting_app
from services.sessions.app import create_app as sessions_app
from services.web.app import create_app as web_app
from shared.http.screening import MAX_JSON_DEPTH

MB = 1024 * 1024
HUNDRED_MB = 100 * MB
APPS: dict[str, Callable[[], FastAPI]] = {
    "intake": intake_app,
    "matching": matching_app,
    "sessions": sessions_app,
    "reporting": reporting_app,
    "web": web_app,
}
# a route of each service that takes a body and that only a caller with credentials may use
BODY_ROUTES = {
    "intake": "/v1/companies",
    "matching": "/v1/pairs/6f1d3c5e-0000-4000-8000-000000000001/end",
    "sessions": "/v1/pairs/6f1d3c5e-0000-4000-8000-000000000001/sessions",
    "reporting": "/api/rebuild",
    "web": "/sign-in",
}


class Body:
    """A body of `size` bytes handed out 1 MB at a time, counting what the server pulled."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.read < self.size:
            self.read += MB
            yield b" " * MB


def client(app: FastAPI) -> httpx.AsyncClient:
    """In-process, without starting the runtime: these refusals come before any route or database."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.mark.parametrize("service", sorted(APPS))
async def test_a_100_mb_body_is_refused_unread_before_authentication(service: str) -> None:
    app = APPS[service]()
    limit = app.state.runtime.settings.max_body_bytes
    declared, chunked = Body(HUNDRED_MB), Body(HUNDRED_MB)
    async with client(app) as http:
        with_length = await http.post(
            BODY_ROUTES[service],
            content=declared,
            headers={"Content-Type": "application/json", "Content-Length": str(HUNDRED_MB)},
        )
        without_length = await http.post(
            BODY_ROUTES[service], content=chunked, headers={"Content-Type": "application/json"}
        )
    for answer in (with_length, without_length):
        assert answer.status_code == 413, answer.text  # not 401: no credentials were sent
        assert answer.json() == {
            "detail": f"the body is larger than {limit} bytes",
            "code": "body_too_large",
            "limit_bytes": limit,
        }
    assert declared.read <= MB  # the declared length alone refused it
    assert chunked.read <= limit + MB  # counted, and refused once past the limit


@pytest.mark.parametrize("service", sorted(APPS))
async def test_a_body_under_the_limit_reaches_the_app(service: str) -> None:
    async with client(APPS[service]()) as http:
        answer = await http.post("/no-such-route", json={"name": "x" * 60_000})
    assert answer.status_code == 404, answer.text


@pytest.mark.parametrize("service", sorted(APPS))
async def test_a_nul_anywhere_is_a_422_naming_where(service: str) -> None:
    route = BODY_ROUTES[service]
    async with client(APPS[service]()) as http:
        in_body = await http.post(
            route, json={"reason": "a\x00b", "tools": ["ok", "x\x00"], "n": {"k\x00": 1}}
        )
        in_query = await http.get(f"{route}?external_ref=HR%0012&fine=yes")
        in_form = await http.post(
            route, content=b"token=ab%00c", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        in_path = await http.get("/v1/pairs/a%00b")
    assert in_body.status_code == 422
    assert in_body.json() == {
        "detail": [
            {"loc": ["body", "n", "k"], "msg": "must not contain the NUL character (U+0000)", "type": "nul_character"},
            {"loc": ["body", "reason"], "msg": "must not contain the NUL character (U+0000)", "type": "nul_character"},
            {"loc": ["body", "tools", 1], "msg": "must not contain the NUL character (U+0000)", "type": "nul_character"},
        ]
    }  # fmt: skip
    assert [(p["loc"], p["type"]) for p in in_query.json()["detail"]] == [
        (["query", "external_ref"], "nul_character")
    ]
    assert [(p["loc"], p["type"]) for p in in_form.json()["detail"]] == [(["body", "token"], "nul_character")]
    assert [(p["loc"], p["type"]) for p in in_path.json()["detail"]] == [(["path"], "nul_character")]
    assert {in_query.status_code, in_form.status_code, in_path.status_code} == {422}


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 30_000])
async def test_json_nested_too_deep_is_a_422_not_a_500(depth: int) -> None:
    body = ("[" * depth + "]" * depth).encode()
    async with client(matching_app()) as http:
        answer = await http.post(
            BODY_ROUTES["matching"], content=body, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422, answer.text
    assert [(p["loc"], p["type"]) for p in answer.json()["detail"]] == [(["body"], "json_too_deep")]


async def test_ordinary_bodies_pass_untouched() -> None:
    """An escaped backslash before u0000 is not a NUL, nesting within the limit is fine: the route's
    own validation answers (here the missing credentials)."""
    fine: list[Any] = [{"text": "C:\\u0000 is a folder name"}]
    for _ in range(MAX_JSON_DEPTH - 2):
        fine = [fine]
    async with client(matching_app()) as http:
        answer = await http.post(BODY_ROUTES["matching"], json=fine)
    assert answer.status_code == 401, answer.text


async def test_a_body_that_is_not_utf8_is_a_422_not_a_bare_400() -> None:
    async with client(matching_app()) as http:
        answer = await http.post(
            BODY_ROUTES["matching"],
            content=b'{"reason": "\xff\xfe\xfa"}',
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 422, answer.text
    assert [(p["loc"], p["type"]) for p in answer.json()["detail"]] == [(["body"], "json_invalid")]


async def test_a_405_names_every_method_the_path_serves() -> None:
    """Starlette names only the first route's methods; a client (and schemathesis) expects them all."""
    async with client(matching_app()) as http:
        answer = await http.delete("/v1/cohorts/6f1d3c5e-0000-4000-8000-000000000001/runs")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD, POST"
    assert answer.json() == {"detail": "Method Not Allowed", "code": "method_not_allowed"}


def test_the_probes_document_what_they_answer() -> None:
    paths = matching_app().openapi()["paths"]
    assert list(paths["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    assert set(paths["/readyz"]["get"]["responses"]) == {"200", "503"}
