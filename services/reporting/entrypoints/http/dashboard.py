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

from services.reporting.entrypoints.http.deps import (
    COOKIE,
    QUERY,
    ReportsDep,
    identify,
    presented,
    runtime,
    settings,
)
from services.reporting.entrypoints.http.render import pages
from services.reporting.service_layer import access
from services.reporting.service_layer.access import Viewer
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


def _signed_in(request: Request, target: str, token: str) -> RedirectResponse:
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    secure = settings(request).login_cookie_secure
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")
    return response


async def _sign_in(request: Request, token: str) -> Viewer | None:
    return await access.sign_in(runtime(request).pool, settings(request).admin_token, token)


async def _who(request: Request) -> Viewer | Response:
    """The viewer, or the response to send instead: a sign-in via ?token=, or the sign-in form."""
    if QUERY in request.query_params:
        token = request.query_params[QUERY]
        if await _sign_in(request, token) is None:
            return _login(NOT_VALID)
        clean = request.url.remove_query_params(QUERY)
        return _signed_in(request, clean.path + (f"?{clean.query}" if clean.query else ""), token)
    found = await identify(request, presented(request))
    return found if found is not None else _login()


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status.HTTP_303_SEE_OTHER)


@router.get("/dashboard")
async def cohorts(request: Request, reports: ReportsDep) -> Response:
    who = await _who(request)
    if isinstance(who, Response):
        return who
    company_name = await reports.company_name(who.company_id) if who.company_id else None
    return _page(pages.cohorts_page(await reports.cohorts(who), who.staff, company_name))


@router.get("/dashboard/login")
async def login_form() -> HTMLResponse:
    return _page(pages.login_page())


@router.post("/dashboard/login")
async def login(request: Request, token: Annotated[str, Form()] = "") -> Response:
    token = token.strip()
    if await _sign_in(request, token) is None:
        return _login(NOT_VALID if token else "Enter a token or key.")
    return _signed_in(request, "/dashboard", token)


@router.post("/dashboard/logout")
async def logout(request: Request) -> RedirectResponse:
    access.sign_out(await identify(request, presented(request)))
    response = RedirectResponse("/dashboard/login", status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/dashboard/cohorts/{cohort_id}")
async def cohort(request: Request, reports: ReportsDep, cohort_id: UUID) -> Response:
    who = await _who(request)
    if isinstance(who, Response):
        return who
    try:
        report = await reports.for_viewer(who, cohort_id)
    except NotFound:
        return _page(pages.not_found_page(), status.HTTP_404_NOT_FOUND)
    csv_base = f"/api/{report.view}/cohorts/{cohort_id}/tables"
    return _page(pages.report_page(report, await reports.cohorts(who), csv_base))
