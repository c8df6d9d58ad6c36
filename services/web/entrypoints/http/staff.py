"""The coordinator's start page; each area has its own router module (staff_*.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.entrypoints.http.deps import Staff
from services.web.entrypoints.http.pages import render
from services.web.service_layer import staff

router = APIRouter(prefix="/staff", tags=["staff"])


@router.get("", response_class=HTMLResponse, summary="The coordinator's start page")
async def staff_home(request: Request, visitor: Staff) -> Response:
    staff.staff_home()
    return await render(request, "staff/home.html")
