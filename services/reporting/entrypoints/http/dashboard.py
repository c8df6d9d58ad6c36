"""The HTML dashboard: server-rendered pages that read without JavaScript and load nothing else.

Signing in: the form posts the admin token or a company key and gets it back as an HTTP-only cookie;
a link carrying `?token=` does the same and redirects to the address without it, so the credential
does not stay in the address bar or the history. Refusals are pages here, not JSON: the sign-in form
(401) or a "no such cohort" page (404).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.entrypoints.http.deps import COOKIE, QUERY, Pool, ReportsDep, Settings, presented
from services.reporting.entrypoints.http.render import pages
from services.reporting.service_layer import access
from services.reporting.service_layer.access import Viewer
from services.reporting.settings import ReportingSettings
from shared.errors import NotFound

router = APIRouter(tags=["dashboard"], include_in_schema=False)

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
NOT_VALID = "That token or key is not valid."


def _page(body: str, status_code: int = status.HTTP_200_OK) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


def _login(error: str | None = None) -> HTMLResponse:
    return _page(pages.login_page(error), status.HTTP_401_UNAUTHORIZED)


def _signed_in(target: str, token: str, settings: ReportingSettings) -> RedirectResponse:
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="lax", secure=settings.login_cookie_secure, path="/"
    )
    return response


async def _who(request: Request, pool: Pool, settings: ReportingSettings) -> Viewer | Response:
    """The viewer, or the response to send instead: a sign-in via ?token=, or the sign-in form."""
    if QUERY in request.query_params:
        token = request.query_params[QUERY]
        if await access.sign_in(pool, settings.admin_token, token) is None:
            return _login(NOT_VALID)
        clean = request.url.remove_query_params(QUERY)
        return _signed_in(clean.path + (f"?{clean.query}" if clean.query else ""), token, settings)
    found = await access.identify(pool, settings.admin_token, presented(request))
    return found if found is not None else _login()


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status.HTTP_303_SEE_OTHER)


@router.get("/dashboard")
async def cohorts(request: Request, reports: ReportsDep, pool: Pool, settings: Settings) -> Response:
    who = await _who(request, pool, settings)
    if isinstance(who, Response):
        return who
    company_name = await reports.company_name(who.company_id) if who.company_id else None
    return _page(pages.cohorts_page(await reports.cohorts(who), who.staff, company_name))


@router.get("/dashboard/login")
async def login_form() -> HTMLResponse:
    return _page(pages.login_page())


@router.post("/dashboard/login")
async def login(pool: Pool, settings: Settings, token: Annotated[str, Form()] = "") -> Response:
    token = token.strip()
    if await access.sign_in(pool, settings.admin_token, token) is None:
        return _login(NOT_VALID if token else "Enter a token or key.")
    return _signed_in("/dashboard", token, settings)


@router.post("/dashboard/logout")
async def logout(request: Request, pool: Pool, settings: Settings) -> RedirectResponse:
    access.sign_out(await access.identify(pool, settings.admin_token, presented(request)))
    response = RedirectResponse("/dashboard/login", status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/dashboard/cohorts/{cohort_id}")
async def cohort(
    request: Request, reports: ReportsDep, pool: Pool, settings: Settings, cohort_id: UUID
) -> Response:
    who = await _who(request, pool, settings)
    if isinstance(who, Response):
        return who
    try:
        report = await reports.for_viewer(who, cohort_id)
    except NotFound:
        return _page(pages.not_found_page(), status.HTTP_404_NOT_FOUND)
    csv_base = f"/api/{report.view}/cohorts/{cohort_id}/tables"
    return _page(pages.report_page(report, await reports.cohorts(who), csv_base))
