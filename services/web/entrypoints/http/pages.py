"""Rendering a page: the template, the visitor's language, dates in the programme's zone, the CSRF token.

A page handler returns `await render(request, "name.html", {...})`. Every template gets:
`t(key, **values)` (the visitor's language), `day(value)` / `moment(value)` (dates and times in the
programme's zone), `csrf_token`, `visitor`, `language`, `errors` (field -> messages), `values` (what was
typed, to fill the form again) and `path` (for the language switch's way back).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from services.web.domain import timefmt
from services.web.domain.errors import Conflict, Invalid, Problem
from services.web.domain.fields import by_field
from services.web.domain.i18n import LANGUAGE_NAMES, LANGUAGES, problem_text, translate
from services.web.entrypoints.http.deps import CSRF_COOKIE, language_of, visitor_of
from shared.privacy import ERASED

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def secure(request: Request) -> bool:
    """Cookies are Secure over HTTPS (as the proxy tells uvicorn) or when the settings say so."""
    return bool(request.app.state.settings.web_secure_cookies) or request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure(request), path="/"
    )


def field_messages(language: str, error: Invalid | None) -> dict[str, list[str]]:
    if error is None:
        return {}
    return {
        field: [problem_text(language, p) for p in problems]
        for field, problems in by_field(error.problems).items()
    }


async def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    error: Invalid | None = None,
    values: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    language = language_of(request)
    visitor = await visitor_of(request)
    zone = request.app.state.web.zone
    anonymous_token = None
    if visitor is None:
        anonymous_token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    page = {
        "request": request,
        "t": lambda key, **kw: translate(language, key, **kw),
        "day": lambda value: timefmt.day(value, language, zone),
        "moment": lambda value: timefmt.moment(value, language, zone),
        "language": language,
        "who": lambda name: translate(language, "erased") if name == ERASED else name,
        "num": lambda value: f"{value:g}" if isinstance(value, int | float) else value,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "visitor": visitor,
        "csrf_token": visitor.csrf_token if visitor else anonymous_token,
        "errors": field_messages(language, error),
        "values": dict(values or {}),
        "path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "dashboard_url": request.app.state.web.dashboard_url,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page, status_code=status)
    if anonymous_token is not None and request.cookies.get(CSRF_COOKIE) != anonymous_token:
        set_cookie(request, response, CSRF_COOKIE, anonymous_token, None)
    response.headers["Cache-Control"] = "no-store"
    return response


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to fill the form again: one value per field, a list for repeated ones."""
    values: dict[str, Any] = {}
    for key in form.keys():
        if key == "csrf_token":
            continue
        found = form.getlist(key)
        values[key] = found if len(found) > 1 else found[0]
    return values


def refused(error: Conflict) -> Invalid:
    """A refusal of the whole form (a duplicate name, a closed window), shown at the form's top."""
    return Invalid([Problem((), error.message, error.code)])


async def render_refused(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    error: Invalid | Conflict,
    form: FormData | None = None,
) -> HTMLResponse:
    """The form's page again with what was refused: fields in place (422), or the whole form at its top
    (409), the values typed kept when `form` is given."""
    if isinstance(error, Invalid):
        problem, status = error, 422
    else:
        problem, status = refused(error), 409
    values = form_values(form) if form is not None else None
    return await render(request, template, context, status=status, error=problem, values=values)


def redirect(path: str) -> RedirectResponse:
    """After a successful POST: see the result with a GET (303), so a reload sends nothing twice."""
    return RedirectResponse(path, status_code=303)
