"""A mentor's or mentee's pages: the personal link, the pair, and logging, correcting, retracting sessions.

A member is not a signed-in `Visitor` (staff or company): their browser holds its own cookie
(`mentornet_pair`, a random id; the tokens stay server-side), so no staff or company page ever lets
them in. Their forms carry `member_csrf`, checked against their session, plus the same-origin check.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.web.domain import pair_form
from services.web.domain.errors import Invalid, NotFound, SignInLocked
from services.web.entrypoints.http.deps import CsrfRefused, WebContext, client_of, same_origin, web_of
from services.web.entrypoints.http.pages import redirect, render, set_cookie
from services.web.service_layer import pair, rights

router = APIRouter(tags=["mentor and mentee"])

MEMBER_COOKIE = "mentornet_pair"


async def member_of(request: Request) -> pair.Member | None:
    if not hasattr(request.state, "member"):
        request.state.member = await pair.member(web_of(request), request.cookies.get(MEMBER_COOKIE))
    found: pair.Member | None = request.state.member
    return found


async def require_member(request: Request) -> pair.Member:
    """Without a member session the pair pages do not exist (404): there is nothing to sign in to."""
    found = await member_of(request)
    if found is None:
        raise NotFound("open your personal link")
    return found


async def member_form(request: Request) -> FormData:
    form = await request.form()
    visitor = await require_member(request)
    sent = form.get("member_csrf")
    if not same_origin(request):
        raise CsrfRefused("the form was sent from another site")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), visitor.csrf_token.encode()):
        raise CsrfRefused("the form's CSRF token is missing or wrong")
    return form


MemberVisitor = Annotated[pair.Member, Depends(require_member)]
MemberForm = Annotated[FormData, Depends(member_form)]


def _choices() -> dict[str, Any]:
    return {
        "formats": pair_form.FORMATS,
        "tools": pair_form.TOOLS,
        "ratings": pair_form.RATINGS,
        "durations": pair_form.DURATIONS,
        "retraction_reasons": pair_form.RETRACTION_REASONS,
    }


async def member_page(
    request: Request, visitor: pair.Member, template: str, context: dict[str, Any], **kw: Any
) -> HTMLResponse:
    response = await render(
        request, template, {"member": visitor, "member_csrf": visitor.csrf_token, **context}, **kw
    )
    # never leak the pair's address to another site; same-origin keeps Origin on this site's forms
    # (with no-referrer, browsers send "Origin: null" and the CSRF check would refuse them)
    response.headers["Referrer-Policy"] = "same-origin"
    return response


_page = member_page  # the name the other member pages import


@router.get("/p/{token}", response_class=Response, summary="A member's personal link: signs this browser in")
async def open_link(request: Request, token: str, web: WebContext) -> Response:
    try:
        opened = await pair.open_link(web, token, request.cookies.get(MEMBER_COOKIE), client_of(request))
    except SignInLocked as locked:
        refused = await render(
            request, "message.html", {"title": "link_locked_title", "text": "link_locked_text"}, status=429
        )
        refused.headers["Retry-After"] = str(locked.retry_after_s or 60)
        refused.headers["Referrer-Policy"] = "no-referrer"
        return refused
    response = redirect(f"/pair/{opened.pair_id}")
    if opened.cookie_value is not None:
        max_age = int(pair.SESSION_LENGTH.total_seconds())
        set_cookie(request, response, MEMBER_COOKIE, opened.cookie_value, max_age)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/pair", response_class=Response, summary="This browser's pairs")
async def my_pairs(request: Request, visitor: MemberVisitor) -> Response:
    if len(visitor.pairs) == 1:
        return redirect(f"/pair/{visitor.pairs[0].pair_id}")
    return await member_page(request, visitor, "pair/choose.html", {})


@router.post("/pair/sign-out", response_class=Response, summary="This browser forgets its pairs")
async def sign_out(request: Request, web: WebContext, form: MemberForm) -> Response:
    await pair.sign_out(web, await member_of(request))
    response = redirect("/pair/signed-out")
    response.delete_cookie(MEMBER_COOKIE, path="/")
    return response


@router.get("/pair/signed-out", response_class=HTMLResponse, summary="Signed out of the pair pages")
async def signed_out(request: Request) -> Response:
    return await render(
        request, "message.html", {"title": "pair_signed_out_title", "text": "pair_signed_out_text"}
    )


@router.get("/pair/{pair_id}", response_class=HTMLResponse, summary="The pair and its sessions")
async def show_pair(request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor) -> Response:
    found = await pair.overview(web, visitor, pair_id)
    consent = await rights.member_consent(web, visitor, pair_id)
    return await member_page(
        request,
        visitor,
        "pair/home.html",
        {**found, "consent": consent, "done": request.query_params.get("done", "")},
    )


@router.get("/pair/{pair_id}/sessions/new", response_class=HTMLResponse, summary="The form to log a session")
async def new_session(request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor) -> Response:
    visitor.pair(pair_id)
    values = pair_form.defaults(web.zone)
    return await member_page(
        request, visitor, "pair/session_form.html", {"pair_id": pair_id, **_choices()}, values=values
    )


@router.post("/pair/{pair_id}/sessions", response_class=HTMLResponse, summary="Log a session")
async def log_session(
    request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor, form: MemberForm
) -> Response:
    values = pair_form.form_values(form)
    try:
        await pair.log_session(web, visitor, pair_id, values)
    except Invalid as error:
        context = {"pair_id": pair_id, **_choices()}
        return await member_page(
            request, visitor, "pair/session_form.html", context, status=422, error=error, values=values
        )
    return redirect(f"/pair/{pair_id}?done=logged")


@router.get(
    "/pair/{pair_id}/sessions/{session_id}", response_class=HTMLResponse, summary="Correct or retract"
)
async def edit_session(
    request: Request, pair_id: UUID, session_id: UUID, web: WebContext, visitor: MemberVisitor
) -> Response:
    found = await pair.session(web, visitor, pair_id, session_id)
    context = {"pair_id": pair_id, "session": found, **_choices()}
    return await member_page(
        request, visitor, "pair/session_form.html", context, values=pair_form.values_of(found)
    )


@router.post(
    "/pair/{pair_id}/sessions/{session_id}", response_class=HTMLResponse, summary="Correct a session"
)
async def correct_session(
    request: Request,
    pair_id: UUID,
    session_id: UUID,
    web: WebContext,
    visitor: MemberVisitor,
    form: MemberForm,
) -> Response:
    values = pair_form.form_values(form)
    try:
        await pair.correct(web, visitor, pair_id, session_id, values)
    except Invalid as error:
        found = await pair.session(web, visitor, pair_id, session_id)
        context = {"pair_id": pair_id, "session": found, **_choices()}
        return await member_page(
            request, visitor, "pair/session_form.html", context, status=422, error=error, values=values
        )
    return redirect(f"/pair/{pair_id}?done=corrected")


@router.post(
    "/pair/{pair_id}/sessions/{session_id}/retraction", response_class=HTMLResponse, summary="Retract"
)
async def retract_session(
    request: Request,
    pair_id: UUID,
    session_id: UUID,
    web: WebContext,
    visitor: MemberVisitor,
    form: MemberForm,
) -> Response:
    try:
        await pair.retract(web, visitor, pair_id, session_id, str(form.get("reason") or ""))
    except Invalid as error:
        found = await pair.session(web, visitor, pair_id, session_id)
        context = {"pair_id": pair_id, "session": found, **_choices()}
        values = pair_form.values_of(found)
        return await member_page(
            request, visitor, "pair/session_form.html", context, status=422, error=error, values=values
        )
    return redirect(f"/pair/{pair_id}?done=retracted")
