"""The HTML dashboard: server-rendered pages that read without JavaScript and load nothing else.

Signing in: the form posts the admin token or a company key; a good one opens a server-side session
(reporting's own table) and the browser gets only a random value for it, as an HTTP-only, SameSite=Lax
cookie (Secure over HTTPS) that expires with the session. A link signs in with a one-time code instead
(`?code=`, from POST /api/sign-in-codes), never a secret: the code is used up, a session opened and the
browser redirected to the address without it. Every POST must come from this site (shared/http/origin.py).
Refusals are pages here, not JSON: the sign-in form (401) or a "no such cohort" page (404).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.entrypoints.http.deps import CODE, COOKIE, Pool, ReportsDep, Settings, identified
from services.reporting.entrypoints.http.render import pages
from services.reporting.service_layer import sign_ins, year
from services.reporting.service_layer.access import Viewer
from services.reporting.settings import ReportingSettings
from shared.errors import NotFound

router = APIRouter(tags=["dashboard"], include_in_schema=False)

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    # same-origin, not no-referrer: with no-referrer a browser posts the forms with `Origin: null`,
    # which the cross-site check must refuse; other sites still learn nothing
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
NOT_VALID = "That token or key is not valid."
CODE_USED = "That sign-in link has been used or has expired: sign in here."


def _page(body: str, status_code: int = status.HTTP_200_OK) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


def _login(error: str | None = None) -> HTMLResponse:
    return _page(pages.login_page(error), status.HTTP_401_UNAUTHORIZED)


def _session_length(settings: ReportingSettings) -> timedelta:
    return timedelta(minutes=settings.dashboard_session_minutes)


def _secure(request: Request, settings: ReportingSettings) -> bool:
    """A Secure cookie when asked to, or when the browser came over HTTPS (per a trusted proxy too)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return (
        settings.login_cookie_secure
        or request.url.scheme == "https"
        or (settings.trust_forwarded_headers and forwarded == "https")
    )


def _signed_in(
    target: str, opened: sign_ins.Opened, request: Request, settings: ReportingSettings
) -> RedirectResponse:
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER, headers=PAGE_HEADERS)
    response.set_cookie(
        COOKIE,
        opened.value,
        max_age=settings.dashboard_session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=_secure(request, settings),
        path="/",
    )
    return response


async def _who(request: Request, pool: Pool, settings: ReportingSettings) -> Viewer | Response:
    """The viewer, or the response to send instead: a sign-in by a link's code, or the sign-in form."""
    if CODE in request.query_params:
        code = request.query_params[CODE]
        opened = await sign_ins.redeem_code(pool, settings.admin_token, code, _session_length(settings))
        if opened is None:
            return _login(CODE_USED)
        clean = request.url.remove_query_params(CODE)
        return _signed_in(clean.path + (f"?{clean.query}" if clean.query else ""), opened, request, settings)
    found = await identified(request, pool, settings)
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
async def login(
    request: Request, pool: Pool, settings: Settings, token: Annotated[str, Form()] = ""
) -> Response:
    token = token.strip()
    if not token:
        return _login("Enter a token or key.")
    opened = await sign_ins.open_session(pool, settings.admin_token, token, _session_length(settings))
    if opened is None:
        return _login(NOT_VALID)
    return _signed_in("/dashboard", opened, request, settings)


@router.post("/dashboard/logout")
async def logout(request: Request, pool: Pool) -> RedirectResponse:
    await sign_ins.close_session(pool, request.cookies.get(COOKIE))
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
    if who.company_id is None:
        the_year = await year.staff_year(pool, cohort_id)
    else:
        the_year = await year.company_year(pool, who.company_id, cohort_id)
    return _page(pages.report_page(report, await reports.cohorts(who), csv_base, the_year))
