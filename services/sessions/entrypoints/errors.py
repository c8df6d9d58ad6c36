"""Turning refusals into HTTP answers that never repeat what the caller sent.

FastAPI's own 422 answer echoes each bad value back (`input`); a request carrying private notes must
not have them repeated in a response, so validation errors keep only where and why.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from services.sessions import service
from services.sessions.domain.errors import Conflict, Forbidden, NotFound, Refused
from services.sessions.domain.rules import check_pair_access
from shared.http.auth import bearer_token, is_staff
from shared.http.errors import field_errors

NOT_FOUND = {"detail": "not found"}


def _count(request: Request, status: int, code: str) -> None:
    request.app.state.policy.metrics.refused.labels(str(status), code).inc()


async def _may_reach_pair(request: Request) -> bool:
    """Bad input to a pair's resource is reported only to someone who may see the pair."""
    raw = request.path_params.get("pair_id")
    if raw is None:
        return True
    if is_staff(request):
        return True
    try:
        pair_id = UUID(str(raw))
    except ValueError:
        return False
    principal = await service.principal_of(request.app.state.runtime.pool, bearer_token(request), False)
    try:
        check_pair_access(principal, pair_id)
    except NotFound:
        return False
    return True


async def on_invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if not await _may_reach_pair(request):
        _count(request, 404, "not_found")
        return JSONResponse(NOT_FOUND, status_code=404)
    problems = field_errors(exc.errors())
    for problem in problems:
        _count(request, 422, problem["type"])
    return JSONResponse({"detail": problems}, status_code=422)


async def on_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    for problem in exc.problems:
        _count(request, 422, problem.code)
    detail = [{"loc": ["body", p.field], "msg": p.why, "type": p.code} for p in exc.problems]
    return JSONResponse({"detail": detail}, status_code=422)


async def on_conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Conflict)
    _count(request, 409, exc.code)
    body: dict[str, Any] = {"detail": exc.why, "code": exc.code, "retryable": exc.retry_after_s is not None}
    if exc.session_id is not None:
        body["session_id"] = str(exc.session_id)
    headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s is not None else None
    return JSONResponse(body, status_code=409, headers=headers)


async def on_not_found(request: Request, _: Exception) -> JSONResponse:
    _count(request, 404, "not_found")
    return JSONResponse(NOT_FOUND, status_code=404)


async def on_forbidden(request: Request, exc: Exception) -> JSONResponse:
    _count(request, 403, "forbidden")
    return JSONResponse({"detail": str(exc) or "forbidden"}, status_code=403)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(Refused, on_refused)
    app.add_exception_handler(Conflict, on_conflict)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(Forbidden, on_forbidden)
