"""One error contract for every service, installed by `install_error_handlers`.

* 422: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`: each bad field, where and why,
  never the value sent (FastAPI's default copies `input` and `ctx` back; values can be private).
* every other refusal: `{"detail": "...", "code": "..."}` with a stable `code`, plus the refusal's
  extra fields; `Retry-After` when waiting helps.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from shared.errors import Invalid, Problem, Refusal, Unavailable, problems_in

log = structlog.get_logger(__name__)

DATABASE_AWAY: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # the connection broke or could not be made
    asyncpg.OperatorInterventionError,  # shutting down, starting up, statement_timeout (QueryCanceled)
    asyncpg.TooManyConnectionsError,
    ConnectionError,  # refused, reset
    TimeoutError,  # a statement, a connect or a pool acquire beyond its bound (shared/db/pool.py)
)
"""Errors that say the database is away or frozen, not that the request is wrong: 503 + Retry-After."""

Observe = Callable[[Request, int, str], None]
"""Told of every refusal answered (request, status, code): a service's metrics hook."""
GateInvalid = Callable[[Request], Awaitable[Refusal | None]]
"""Asked before a 422 is answered: a refusal to give instead (a 404 for a resource not the caller's)."""


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailed(BaseModel):
    detail: list[FieldError]


class RefusalBody(BaseModel):
    detail: str
    code: str


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """pydantic's errors as the 422 body's list: where (`loc`), why (`msg`) and a stable `type`."""
    return [_field(problem) for problem in problems_in(list(errors))]


def _field(problem: Problem) -> dict[str, Any]:
    return {"loc": list(problem.loc), "msg": problem.msg, "type": problem.type}


def code_of_status(status: int) -> str:
    """A stable code for a bare HTTP status: 401 -> "unauthorized", 405 -> "method_not_allowed"."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def refusal_response(refusal: Refusal) -> JSONResponse:
    if isinstance(refusal, Invalid):
        return JSONResponse({"detail": [_field(p) for p in refusal.problems]}, status_code=422)
    body: dict[str, Any] = {"detail": refusal.message, "code": refusal.code, **refusal.extra}
    headers = dict(refusal.headers)
    if refusal.retry_after_s is not None:
        headers["Retry-After"] = str(refusal.retry_after_s)
    return JSONResponse(body, status_code=refusal.status, headers=headers or None)


def allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (Starlette's 405 names only one route's)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = []
        for path, operations in request.app.openapi()["paths"].items():
            methods = {method.upper() for method in operations}
            methods |= {"HEAD"} if "GET" in methods else set()
            table.append(
                (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"), methods)
            )
        request.app.state.allowed_methods = table
    return sorted(set().union(*(methods for pattern, methods in table if pattern.match(request.url.path))))


def install_error_handlers(
    app: FastAPI, *, observe: Observe | None = None, gate_invalid: GateInvalid | None = None
) -> None:
    """Answer every refusal, FastAPI's validation errors and bare HTTP errors in the one contract."""

    def answer(request: Request, refusal: Refusal) -> JSONResponse:
        if observe is not None:
            if isinstance(refusal, Invalid):
                for problem in refusal.problems:
                    observe(request, 422, problem.type)
            else:
                observe(request, refusal.status, refusal.code)
        return refusal_response(refusal)

    async def on_refusal(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Refusal)
        return answer(request, error)

    async def on_request_invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        instead = await gate_invalid(request) if gate_invalid is not None else None
        return answer(request, instead or Invalid(problems_in(error.errors())))

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        detail = error.detail if isinstance(error.detail, str) else code_of_status(error.status_code)
        body: dict[str, Any] = {"detail": detail, "code": code_of_status(error.status_code)}
        if observe is not None:
            observe(request, error.status_code, body["code"])
        headers = dict(getattr(error, "headers", None) or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(body, status_code=error.status_code, headers=headers or None)

    async def on_database_away(request: Request, error: Exception) -> JSONResponse:
        settings = getattr(getattr(request.app.state, "runtime", None), "settings", None)
        retry_after_s = getattr(settings, "db_retry_after_s", 5)
        log.warning("database unavailable", error=type(error).__name__, path=request.url.path)
        return answer(request, Unavailable(retry_after_s=retry_after_s))

    app.add_exception_handler(Refusal, on_refusal)
    for kind in DATABASE_AWAY:
        app.add_exception_handler(kind, on_database_away)
    app.add_exception_handler(RequestValidationError, on_request_invalid)
    app.add_exception_handler(HTTPException, on_http_error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the refusals a route can give, in the one contract."""
    described = {
        401: "Missing, unknown or revoked credentials",
        403: "Known, but not the caller's to do",
        404: "Not found (or not the caller's to see)",
        409: "Conflicts with the current state",
        413: "Body larger than the documented limit",
        415: "A format the endpoint does not read",
        422: "Each bad field, named, with the reason",
        503: "The database is away or did not answer in time; Retry-After says when to try again",
    }
    return {
        status: {
            "description": described[status],
            "model": ValidationFailed if status == 422 else RefusalBody,
        }
        for status in statuses
    }
