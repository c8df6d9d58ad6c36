"""Who is asking, as FastAPI dependencies: staff (the admin token) or a company (a live company key).

The credential comes as `Authorization: Bearer ...` (API clients), else the dashboard's session cookie
(a random value standing for a sign-in, service_layer/sign_ins.py). Never in the address: a `token`
query parameter is not read.
"""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from services.reporting.service_layer import access, sign_ins
from services.reporting.service_layer.access import Viewer
from services.reporting.service_layer.reports import Reports
from services.reporting.settings import ReportingSettings
from shared.http.auth import bearer_token
from shared.http.deps import Pool, settings_of
from shared.messaging.consumer import Projection

__all__ = ["COOKIE", "CODE", "Anyone", "Company", "Pool", "ProjectionDep", "ReportsDep", "Settings", "Staff"]

COOKIE = "mentornet_reporting"
CODE = "code"  # a one-time sign-in code in a link (POST /api/sign-in-codes)

Settings = Annotated[ReportingSettings, Depends(settings_of(ReportingSettings))]


async def identified(request: Request, pool: asyncpg.Pool, settings: ReportingSettings) -> Viewer | None:
    """The bearer credential's viewer when one is sent, else the session cookie's."""
    token = bearer_token(request)
    if token is not None:
        return await access.identify(pool, settings.admin_token, token)
    return await sign_ins.viewer_of(pool, settings.admin_token, request.cookies.get(COOKIE))


# async, so that FastAPI calls them inline rather than through its thread pool
async def _reports(request: Request) -> Reports:
    found: Reports = request.app.state.reports
    return found


async def _projection(request: Request) -> Projection:
    consumption = request.app.state.runtime.consumption
    assert consumption is not None
    found: Projection = consumption.projection
    return found


async def viewer(request: Request, pool: Pool, settings: Settings) -> Viewer:
    """Staff or a company, else 401."""
    return access.signed_in(await identified(request, pool, settings))


async def staff(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """Programme staff only; a company key gets 403."""
    return access.staff(who)


async def company(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """A partner company's key only; staff read the programme view instead (403)."""
    return access.company(who)


ReportsDep = Annotated[Reports, Depends(_reports)]
ProjectionDep = Annotated[Projection, Depends(_projection)]
Anyone = Annotated[Viewer, Depends(viewer)]
Staff = Annotated[Viewer, Depends(staff)]
Company = Annotated[Viewer, Depends(company)]
