"""The coordinator's start page; each area has its own router module (staff_*.py)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.entrypoints.http.deps import Staff, WebContext
from services.web.entrypoints.http.pages import render
from services.web.service_layer import staff

router = APIRouter(prefix="/staff", tags=["staff"])


@router.get("", response_class=HTMLResponse, summary="The coordinator's start page")
async def staff_home(request: Request, visitor: Staff) -> Response:
    staff.staff_home()
    return await render(request, "staff/home.html")


@router.get("/dashboard", summary="Reporting's dashboard, signed in by a one-time code")
async def dashboard(web: WebContext, visitor: Staff, cohort: UUID | None = None) -> RedirectResponse:
    """A redirect to reporting's dashboard (a cohort's with `?cohort=`) that signs the browser in there
    once, by a one-time code reporting issued for the visitor's token: no secret in any address."""
    target = await staff.dashboard_link(web, visitor, cohort)
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER, headers={"Cache-Control": "no-store"})
