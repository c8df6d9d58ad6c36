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
from shared.messaging.consumer import Projection
from shared.runtime import ServiceRuntime

COOKIE = "mentornet_reporting"
QUERY = "token"


def presented(request: Request) -> str | None:
    return bearer_token(request) or request.query_params.get(QUERY) or request.cookies.get(COOKIE)


def reports(request: Request) -> Reports:
    found: Reports = request.app.state.reports
    return found


def runtime(request: Request) -> ServiceRuntime:
    found: ServiceRuntime = request.app.state.runtime
    return found


def settings(request: Request) -> ReportingSettings:
    found = runtime(request).settings
    assert isinstance(found, ReportingSettings)
    return found


def projection(request: Request) -> Projection:
    consumption = runtime(request).consumption
    assert consumption is not None
    return consumption.projection


async def identify(request: Request, token: str | None) -> Viewer | None:
    return await access.identify(runtime(request).pool, settings(request).admin_token, token)


async def viewer(request: Request) -> Viewer:
    """Staff or a company, else 401."""
    return access.signed_in(await identify(request, presented(request)))


async def staff(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """Programme staff only; a company key gets 403."""
    return access.staff(who)


async def company(who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    """A partner company's key only; staff read the programme view instead (403)."""
    return access.company(who)


ReportsDep = Annotated[Reports, Depends(reports)]
Anyone = Annotated[Viewer, Depends(viewer)]
Staff = Annotated[Viewer, Depends(staff)]
Company = Annotated[Viewer, Depends(company)]
