"""Staff pages: cohorts, their intake window and their matching weights."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Conflict, Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, render, render_refused
from services.web.service_layer import staff_cohorts

router = APIRouter(prefix="/staff/cohorts", tags=["staff: cohorts"])


@router.get("", response_class=HTMLResponse, summary="Cohorts, and a form for a new one")
async def list_cohorts(request: Request, web: WebContext, visitor: Staff) -> Response:
    cohorts = await staff_cohorts.list_cohorts(web, visitor)
    return await render(request, "staff/cohorts.html", {"cohorts": cohorts})


@router.post("", response_class=HTMLResponse, summary="Open a cohort")
async def create_cohort(request: Request, web: WebContext, visitor: Staff, form: CheckedForm) -> Response:
    try:
        created = await staff_cohorts.create_cohort(web, visitor, form)
    except (Invalid, Conflict) as error:
        cohorts = await staff_cohorts.list_cohorts(web, visitor)
        return await render_refused(request, "staff/cohorts.html", {"cohorts": cohorts}, error, form)
    return redirect(f"/staff/cohorts/{created['cohort_id']}")


@router.get("/{cohort_id}", response_class=HTMLResponse, summary="A cohort: window, weights, runs")
async def cohort_page(request: Request, web: WebContext, visitor: Staff, cohort_id: UUID) -> Response:
    page = await staff_cohorts.cohort_page(web, visitor, cohort_id)
    return await render(request, "staff/cohort.html", page)


async def _again(
    request: Request,
    web: WebContext,
    visitor: Staff,
    cohort_id: UUID,
    error: Invalid | Conflict,
    form: CheckedForm,
) -> Response:
    page = await staff_cohorts.cohort_page(web, visitor, cohort_id)
    return await render_refused(request, "staff/cohort.html", page, error, form)


@router.post("/{cohort_id}/window", response_class=HTMLResponse, summary="Move the intake window")
async def change_window(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_cohorts.change_window(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _again(request, web, visitor, cohort_id, error, form)
    return redirect(f"/staff/cohorts/{cohort_id}?saved=window")


@router.post("/{cohort_id}/settings", response_class=HTMLResponse, summary="Matching weights and fairness")
async def save_settings(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_cohorts.save_settings(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _again(request, web, visitor, cohort_id, error, form)
    return redirect(f"/staff/cohorts/{cohort_id}?saved=settings")
