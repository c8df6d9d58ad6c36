"""Who is calling: staff (the admin token) or a partner company (its API key, `Bearer mn_...`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.intake.domain.company import KEY_PREFIX
from services.intake.domain.errors import Unauthorized
from services.intake.service_layer import companies
from services.intake.service_layer.companies import CompanyCaller
from shared.http.auth import bearer_token, is_staff, require_staff


async def require_company(request: Request) -> CompanyCaller:
    """FastAPI dependency: a live company API key; the company of the request is the key's.

    A refusal is a 401 with the `WWW-Authenticate: Bearer` challenge (shared Unauthorized's own)."""
    token = bearer_token(request)
    if token is None or not token.startswith(f"{KEY_PREFIX}_"):
        raise Unauthorized(f"a company API key is required: Authorization: Bearer {KEY_PREFIX}_...")
    caller = await companies.authenticate(request.app.state.runtime.pool, token)
    if caller is None:
        raise Unauthorized("unknown or revoked API key")
    return caller


async def require_staff_or_company(request: Request) -> CompanyCaller | None:
    """Staff (None) or a company (its caller): for what both may read."""
    if is_staff(request):
        return None
    return await require_company(request)


Company = Annotated[CompanyCaller, Depends(require_company)]
STAFF = [Depends(require_staff)]
StaffOrCompany = Annotated[CompanyCaller | None, Depends(require_staff_or_company)]
