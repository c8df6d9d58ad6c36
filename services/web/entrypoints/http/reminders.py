"""Reminder mails: the page a mail's opt-out link opens, a member's choice on their pair page, and
staff's list of reminders sent and members who opted out."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, render
from services.web.entrypoints.http.pair import MemberForm, MemberVisitor, _page
from services.web.service_layer import reminders

router = APIRouter(tags=["reminders"])


def _secret(request: Request) -> str:
    return str(request.app.state.settings.reminder_secret)


async def _link_page(
    request: Request, page: dict[str, object], *, done: str = "", status: int = 200
) -> Response:
    response = await render(request, "reminders/opt_out.html", {**page, "done": done}, status=status)
    # the link's token never goes to another site; same-origin keeps Origin on this page's form (with
    # no-referrer, browsers send "Origin: null" and the CSRF check would refuse it)
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/reminders/opt-out", response_class=HTMLResponse, summary="A reminder mail's opt-out link")
async def opt_out_page(request: Request, web: WebContext, token: str = "") -> Response:
    """Nothing changes on opening the link (mail scanners open links): the member confirms with a button."""
    try:
        page = await reminders.link_page(web, _secret(request), token)
    except Invalid:
        return await _link_page(request, {"token": "", "opted_out": None}, status=404)
    return await _link_page(request, page)


@router.post("/reminders/opt-out", response_class=HTMLResponse, summary="Opt out of reminders, or in again")
async def opt_out(request: Request, web: WebContext, form: CheckedForm) -> Response:
    token, choice = str(form.get("token", "")), form.get("choice")
    try:
        page = await reminders.choose_by_link(web, _secret(request), token, opt_out=choice != "opt-in")
    except Invalid:
        return await _link_page(request, {"token": "", "opted_out": None}, status=404)
    return await _link_page(request, page, done="opted_out" if page["opted_out"] else "opted_in")


@router.get("/pair/{pair_id}/reminders", response_class=HTMLResponse, summary="A member's reminder mails")
async def pair_reminders(
    request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor
) -> Response:
    page = await reminders.pair_page(web, _secret(request), visitor, pair_id)
    done = request.query_params.get("done", "")
    return await _page(request, visitor, "pair/reminders.html", {**page, "done": done})


@router.post(
    "/pair/{pair_id}/reminders", response_class=Response, summary="Opt out of reminders, or in again"
)
async def choose_reminders(
    request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor, form: MemberForm
) -> Response:
    wanted = form.get("choice") != "opt-in"
    await reminders.choose_on_pair_page(web, _secret(request), visitor, pair_id, opt_out=wanted)
    return redirect(f"/pair/{pair_id}/reminders?done={'opted_out' if wanted else 'opted_in'}")


@router.get(
    "/staff/reminders", response_class=HTMLResponse, summary="Reminders sent and members who opted out"
)
async def staff_reminders(request: Request, web: WebContext, visitor: Staff) -> Response:
    return await render(request, "staff/reminders.html", await reminders.staff_page(web, visitor))
