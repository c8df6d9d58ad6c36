"""The HTML dashboard: server-rendered pages that read without JavaScript and load nothing else.

Signing in: the form posts the admin token or a company key and gets it back as an HTTP-only cookie;
a link carrying `?token=` does the same and redirects to the address without it, so the credential
does not stay in the address bar or the history.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.entrypoints.auth import COOKIE, QUERY, identify, presented
from services.reporting.reports import Reports, Viewer
from services.reporting.settings import ReportingSettings
from services.reporting.views import html

router = APIRouter(tags=["dashboard"], include_in_schema=False)

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def _page(body: str, status_code: int = status.HTTP_200_OK) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


def _login(error: str | None = None) -> HTMLResponse:
    return _page(html.login_page(error), status.HTTP_401_UNAUTHORIZED)


def _signed_in(target: str, token: str, settings: ReportingSettings) -> RedirectResponse:
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="lax", secure=settings.login_cookie_secure, path="/"
    )
    return response


async def _who(request: Request) -> Viewer | Response:
    """The viewer, or the response to send instead: a sign-in via ?token=, or the sign-in form."""
    reports: Reports = request.app.state.reports
    if QUERY in request.query_params:
        token = request.query_params[QUERY]
        if await identify(request, token) is None:
            return _login("That token or key is not valid.")
        clean = request.url.remove_query_params(QUERY)
        target = clean.path + (f"?{clean.query}" if clean.query else "")
        return _signed_in(target, token, reports.settings)
    found = await identify(request, presented(request))
    return found if found is not None else _login()


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status.HTTP_303_SEE_OTHER)


@router.get("/dashboard")
async def cohorts(request: Request) -> Response:
    who = await _who(request)
    if isinstance(who, Response):
        return who
    reports: Reports = request.app.state.reports
    company_name = await reports.company_name(who.company_id) if who.company_id else None
    return _page(html.cohorts_page(await reports.cohorts(who), who.staff, company_name))


@router.get("/dashboard/login")
async def login_form() -> HTMLResponse:
    return _page(html.login_page())


@router.post("/dashboard/login")
async def login(request: Request, token: Annotated[str, Form()] = "") -> Response:
    if await identify(request, token.strip()) is None:
        return _login("That token or key is not valid." if token.strip() else "Enter a token or key.")
    reports: Reports = request.app.state.reports
    return _signed_in("/dashboard", token.strip(), reports.settings)


@router.post("/dashboard/logout")
async def logout() -> RedirectResponse:
    response = RedirectResponse("/dashboard/login", status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/dashboard/cohorts/{cohort_id}")
async def cohort(request: Request, cohort_id: UUID) -> Response:
    who = await _who(request)
    if isinstance(who, Response):
        return who
    reports: Reports = request.app.state.reports
    report = await reports.for_viewer(who, cohort_id)
    if report is None:
        return _page(
            "<!doctype html><title>Not found</title><p>No such cohort.</p>", status.HTTP_404_NOT_FOUND
        )
    view = "programme" if who.staff else "company"
    csv_base = f"/api/{view}/cohorts/{cohort_id}/tables"
    return _page(html.report_page(report, await reports.cohorts(who), csv_base))
