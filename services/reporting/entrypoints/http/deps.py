"""Who is asking, as FastAPI dependencies: staff (the admin token) or a company (a live company key).

The credential may come as `Authorization: Bearer ...` (API clients), as a `token` query parameter
(links, headless browsers) or from the cookie the dashboard's sign-in form sets; the first one present
is the one judged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.reporting.service_layer import access
from services.reporting.service_layer.access import Viewer
from services.reporting.service_layer.reports import Reports
from services.reporting.settings import ReportingSettings
from shared.http.auth import bearer_token
from shared.http.deps import Pool, settings_of
from shared.messaging.consumer import Projection

__all__ = ["COOKIE", "QUERY", "Anyone", "Company", "Pool", "ProjectionDep", "ReportsDep", "Settings", "Staff"]

COOKIE = "mentornet_reporting"
QUERY = "token"

Settings = Annotated[ReportingSettings, Depends(settings_of(ReportingSettings))]


def presented(request: Request) -> str | None:
    return bearer_token(request) or request.query_params.get(QUERY) or request.cookies.get(COOKIE)


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
    return access.signed_in(await access.identify(pool, settings.admin_token, presented(request)))


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
