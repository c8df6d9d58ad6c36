"""Staff pages: a cohort's programme year (timeline, closing, evaluations, their figures and quotes)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Conflict, Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, render, render_refused
from services.web.service_layer import staff_year

router = APIRouter(prefix="/staff/cohorts/{cohort_id}/year", tags=["staff: programme year"])


@router.get("", response_class=HTMLResponse, summary="The cohort's year: timeline, evaluations, results")
async def year_page(request: Request, web: WebContext, visitor: Staff, cohort_id: UUID) -> Response:
    page = await staff_year.year_page(web, visitor, cohort_id)
    return await render(request, "staff/year.html", page)


async def _again(
    request: Request,
    web: WebContext,
    visitor: Staff,
    cohort_id: UUID,
    error: Invalid | Conflict,
    form: CheckedForm,
) -> Response:
    page = await staff_year.year_page(web, visitor, cohort_id)
    return await render_refused(request, "staff/year.html", page, error, form)


@router.post(
    "/timeline", response_class=HTMLResponse, summary="Set the kick-off, mid-point and closing dates"
)
async def set_timeline(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_year.set_timeline(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _again(request, web, visitor, cohort_id, error, form)
    return redirect(f"/staff/cohorts/{cohort_id}/year?saved=timeline")


@router.post("/closure", response_class=HTMLResponse, summary="Close the cohort: its year is over")
async def close_cohort(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    await staff_year.close_cohort(web, visitor, cohort_id)
    return redirect(f"/staff/cohorts/{cohort_id}/year?saved=closed")


@router.post("/evaluations", response_class=HTMLResponse, summary="Open the mid-point or closing evaluation")
async def open_evaluation(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_year.open_evaluation(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _again(request, web, visitor, cohort_id, error, form)
    return redirect(f"/staff/cohorts/{cohort_id}/year?saved=evaluation")
