"""Staff pages: a cohort's pairs, ending one, re-matching its mentee, the members' personal links."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Conflict, Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext, keep_once, take_once
from services.web.entrypoints.http.pages import redirect, refused, render, render_refused
from services.web.service_layer import staff_pairs

router = APIRouter(prefix="/staff/cohorts/{cohort_id}/pairs", tags=["staff: pairs"])


@router.get("", response_class=HTMLResponse, summary="The cohort's pairs, active first")
async def pairs_page(request: Request, web: WebContext, visitor: Staff, cohort_id: UUID) -> Response:
    page = await staff_pairs.pairs_page(web, visitor, cohort_id)
    return await render(request, "staff/pairs.html", page)


@router.get("/{pair_id}", response_class=HTMLResponse, summary="A pair: its score, ending it, its links")
async def pair_page(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, pair_id: UUID
) -> Response:
    page = await staff_pairs.pair_page(web, visitor, cohort_id, pair_id)
    shown = await take_once(request)
    links = shown.get("links") if shown.get("pair_id") == str(pair_id) else None
    return await render(request, "staff/pair.html", {**page, "links": links})


@router.post("/{pair_id}/end", response_class=HTMLResponse, summary="End the pair early")
async def end_pair(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, pair_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_pairs.end_pair(web, visitor, cohort_id, pair_id, form)
    except (Invalid, Conflict) as error:
        page = await staff_pairs.pair_page(web, visitor, cohort_id, pair_id)
        return await render_refused(request, "staff/pair.html", page, error, form)
    return redirect(f"/staff/cohorts/{cohort_id}/pairs/{pair_id}?ended=1")


@router.post("/{pair_id}/links", response_class=HTMLResponse, summary="New personal links for both members")
async def issue_links(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, pair_id: UUID, form: CheckedForm
) -> Response:
    try:
        page = await staff_pairs.issue_links(web, visitor, cohort_id, pair_id)
    except Conflict as error:  # sessions has not heard of the pair yet: try again in a moment
        page = await staff_pairs.pair_page(web, visitor, cohort_id, pair_id)
        return await render(request, "staff/pair.html", page, status=409, error=refused(error))
    base = str(request.base_url).rstrip("/")
    links = [{"role": t["role"], "link": f"{base}/p/{t['token']}"} for t in page["tokens"]]
    await keep_once(request, {"pair_id": str(pair_id), "links": links})
    return redirect(f"/staff/cohorts/{cohort_id}/pairs/{pair_id}")
