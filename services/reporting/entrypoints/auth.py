"""Who is asking: the admin token means programme staff, a live company key means that company.

The credential may come as `Authorization: Bearer ...` (API clients), as a `token` query parameter
(links, headless browsers) or from the cookie the dashboard's sign-in form sets; the first one present
is the one judged.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from services.reporting import store
from services.reporting.reports import Reports, Viewer
from shared.http.auth import bearer_token, hash_key

COOKIE = "mentornet_reporting"
QUERY = "token"


def presented(request: Request) -> str | None:
    return bearer_token(request) or request.query_params.get(QUERY) or request.cookies.get(COOKIE)


async def identify(request: Request, token: str | None) -> Viewer | None:
    if not token:
        return None
    admin: str = request.app.state.runtime.settings.admin_token
    if hmac.compare_digest(token.encode(), admin.encode()):
        return Viewer()
    reports: Reports = request.app.state.reports
    async with reports.runtime.pool.acquire() as conn:
        company_id = await store.company_for_key(conn, hash_key(token))
    return Viewer(company_id) if company_id else None


async def viewer(request: Request) -> Viewer:
    """FastAPI dependency: staff or a company, else 401."""
    found = await identify(request, presented(request))
    if found is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "staff token or company key required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


async def staff(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """FastAPI dependency: programme staff only; a company key gets 403."""
    if not who.staff:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "staff credentials required")
    return who


async def company(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """FastAPI dependency: a partner company's key only; staff read the programme view instead."""
    if who.staff:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a company key is required for the company view")
    return who
