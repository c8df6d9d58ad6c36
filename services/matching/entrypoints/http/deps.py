"""The runtime's pieces a route needs, and the staff check every route makes, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from services.matching.settings import MatchingSettings
from shared.http.auth import require_staff
from shared.http.errors import RefusalBody, ValidationFailed, responses


def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.runtime.pool


def _settings(request: Request) -> MatchingSettings:
    settings = request.app.state.runtime.settings
    assert isinstance(settings, MatchingSettings)
    return settings


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Settings = Annotated[MatchingSettings, Depends(_settings)]
STAFF = [Depends(require_staff)]
"""Every matching route is for programme staff (the admin bearer token)."""


def refusals(*statuses: int, rule_broken: bool = False) -> dict[int | str, dict[str, Any]]:
    """The refusals a route documents; `rule_broken`: its 422 can also be a rule of matching, answered
    as `{detail, code}` like the other refusals."""
    documented = responses(401, *statuses)
    if rule_broken:
        documented[422] = {
            "description": "Each bad field, named; or a rule of matching broken (`detail` says which)",
            "model": ValidationFailed | RefusalBody,
        }
    return documented
