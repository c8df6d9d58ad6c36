"""The start page, signing in and out, and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Invalid, SignInLocked
from services.web.entrypoints.http.deps import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    CheckedForm,
    MaybeVisitor,
    WebContext,
    client_of,
)
from services.web.entrypoints.http.pages import redirect, render, set_cookie
from services.web.service_layer import home, language, signin

router = APIRouter(tags=["sign-in"])

YEAR = 365 * 24 * 3600


@router.get("/", response_class=Response, summary="Where each kind of person starts")
async def start(visitor: MaybeVisitor) -> Response:
    return redirect(home.start(visitor))


@router.get("/sign-in", response_class=HTMLResponse, summary="The sign-in form")
async def sign_in_form(request: Request, visitor: MaybeVisitor) -> Response:
    if visitor is not None:
        return redirect(home.start(visitor))
    signin.sign_in_form()
    return await render(request, "sign_in.html", {"signed_out": request.query_params.get("bye") == "1"})


@router.post("/sign-in", response_class=HTMLResponse, summary="Sign in with the staff token or a company key")
async def sign_in(request: Request, web: WebContext, form: CheckedForm) -> Response:
    secret = str(form.get("secret") or "")
    try:
        session = await signin.sign_in(web, secret, client_of(request))
    except Invalid as error:  # the secret is never typed back into the page
        return await render(request, "sign_in.html", status=422, error=error)
    except SignInLocked as locked:
        minutes = max(1, -(-(locked.retry_after_s or 60) // 60))
        refused = await render(request, "sign_in.html", {"locked_minutes": minutes}, status=429)
        refused.headers["Retry-After"] = str(locked.retry_after_s or 60)
        return refused
    response = redirect(home.start(session.visitor))
    max_age = int(web.session_length.total_seconds())
    set_cookie(request, response, SESSION_COOKIE, session.cookie_value, max_age)
    return response


@router.post("/sign-out", response_class=Response, summary="Sign out: the session is deleted")
async def sign_out(request: Request, web: WebContext, form: CheckedForm) -> Response:
    await signin.sign_out(web, request.cookies.get(SESSION_COOKIE))
    response = redirect("/sign-in?bye=1")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language", response_class=Response, summary="Switch between Danish and English")
async def choose_language(request: Request, form: CheckedForm) -> Response:
    chosen = language.choose_language(
        str(form.get("language") or ""), request.app.state.settings.default_language
    )
    response = redirect(language.safe_next(str(form.get("next") or "/")))
    set_cookie(request, response, LANGUAGE_COOKIE, chosen, YEAR)
    return response
