"""Every refusal in one shape: 422 lists each bad field (loc, msg, type); others give detail and code."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.intake.domain.errors import (
    Conflict,
    IntakeError,
    Invalid,
    NotFound,
    Problem,
    TooLarge,
    UnsupportedFormat,
    problems_in,
)

STATUS: dict[type[IntakeError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    TooLarge: 413,
    UnsupportedFormat: 415,
}


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailed(BaseModel):
    detail: list[FieldError]


class Refusal(BaseModel):
    detail: str
    code: str


def invalid_response(problems: list[Problem]) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"loc": list(p.loc), "msg": p.msg, "type": p.type} for p in problems]}, status_code=422
    )


async def _intake_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IntakeError)
    if isinstance(error, Invalid):
        return invalid_response(list(error.problems))
    return JSONResponse({"detail": error.message, "code": error.code}, status_code=STATUS[type(error)])


async def _request_invalid(_: Request, error: Exception) -> JSONResponse:
    """FastAPI's own 422 (body, path, query, header) in the same shape and wording as ours."""
    assert isinstance(error, RequestValidationError)
    return invalid_response(problems_in(error.errors()))


def install(app: FastAPI) -> None:
    for kind in STATUS:
        app.add_exception_handler(kind, _intake_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)


def responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI documentation of the refusals a route can give."""
    described = {
        401: ("Missing, unknown or revoked credentials", Refusal),
        404: ("Not found (or another company's)", Refusal),
        409: ("Conflicts with the current state", Refusal),
        413: ("Body larger than the documented limit", Refusal),
        415: ("Not CSV or JSON", Refusal),
        422: ("Each bad field, named, with the reason", ValidationFailed),
    }
    return {s: {"description": described[s][0], "model": described[s][1]} for s in statuses}
