"""The runtime's pieces a route needs, and the staff check every route makes, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from services.matching.settings import MatchingSettings
from shared.http.auth import require_staff
from shared.http.deps import Pool, settings_of
from shared.http.errors import RefusalBody, ValidationFailed, responses

Settings = Annotated[MatchingSettings, Depends(settings_of(MatchingSettings))]
STAFF = [Depends(require_staff)]
"""Every matching route is for programme staff (the admin bearer token)."""

__all__ = ["STAFF", "Pool", "Settings", "refusals"]


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
