"""Staff page: every participant, with filters (cohort, company, role, status, name or email)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.entrypoints.http.deps import Staff, WebContext
from services.web.entrypoints.http.pages import render
from services.web.service_layer import staff_participants

router = APIRouter(prefix="/staff/participants", tags=["staff: participants"])


@router.get("", response_class=HTMLResponse, summary="Every participant, filtered")
async def participants(request: Request, web: WebContext, visitor: Staff) -> Response:
    query = dict(request.query_params)
    page = await staff_participants.participants(web, visitor, query)
    return await render(request, "staff/participants.html", page, values=query)
