"""The partner company's pages (HR contact, signed in with one of the company's API keys)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.entrypoints.http.deps import Company, WebContext
from services.web.entrypoints.http.pages import render
from services.web.service_layer import company

router = APIRouter(prefix="/company", tags=["partner company"])


@router.get("", response_class=HTMLResponse, summary="The company's start page")
async def company_home(request: Request, web: WebContext, visitor: Company) -> Response:
    cohorts = await company.company_home(web, visitor)
    return await render(request, "company/home.html", {"cohorts": cohorts})
