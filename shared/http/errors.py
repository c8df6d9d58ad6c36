"""422 answers that name each bad field and why, without repeating what the caller sent.

FastAPI's default 422 copies each bad value back (`input`, `ctx`); values can be private (notes, emails),
so every service answers with where and why only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Where (`loc`), why (`msg`) and a stable `type`; never `input` or `ctx`."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


async def request_invalid(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"detail": field_errors(error.errors())}, status_code=422)
