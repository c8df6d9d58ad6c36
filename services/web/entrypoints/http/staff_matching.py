"""Staff pages: run matching, review a run (scores per criterion, unmatched reasons), pin, exclude, approve."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.web.domain.errors import Conflict, Invalid, NotFound
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, refused, render, render_refused
from services.web.service_layer import staff_matching

router = APIRouter(prefix="/staff", tags=["staff: matching"])


@router.post("/cohorts/{cohort_id}/runs", response_class=Response, summary="Run matching (again)")
async def start_run(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    run = await staff_matching.start_run(web, visitor, cohort_id)
    return redirect(f"/staff/runs/{run['run_id']}")


@router.get("/runs/{run_id}", response_class=HTMLResponse, summary="Review a run's proposal")
async def run_review(request: Request, web: WebContext, visitor: Staff, run_id: UUID) -> Response:
    page = await staff_matching.run_review(web, visitor, run_id)
    return await render(request, "staff/run.html", page)


@router.get("/runs/{run_id}/pin", response_class=HTMLResponse, summary="Pin any mentee with any mentor")
async def pin_form(request: Request, web: WebContext, visitor: Staff, run_id: UUID) -> Response:
    page = await staff_matching.pin_form(web, visitor, run_id)
    return await render(request, "staff/pin.html", page)


async def _back_to_run(
    request: Request, web: WebContext, visitor: Staff, form: FormData, error: Invalid | Conflict | None
) -> Response:
    """After a pin or exclusion: back to the run it was made from, with the refusal if there was one."""
    try:
        run_id = UUID(str(form.get("run_id")))
    except ValueError as bad:
        raise NotFound() from bad
    if error is None:
        return redirect(f"/staff/runs/{run_id}")
    if form.get("from") == "pin":  # the pin-any-pair page: the refusal next to its fields
        page = await staff_matching.pin_form(web, visitor, run_id)
        return await render_refused(request, "staff/pin.html", page, error, form)
    page = await staff_matching.run_review(web, visitor, run_id)
    return await render_refused(request, "staff/run.html", page, error, form)


@router.post("/cohorts/{cohort_id}/pins", response_class=HTMLResponse, summary="Pin a pair for the next runs")
async def pin(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_matching.pin(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _back_to_run(request, web, visitor, form, error)
    return await _back_to_run(request, web, visitor, form, None)


@router.post("/cohorts/{cohort_id}/pins/remove", response_class=Response, summary="Remove a pin")
async def unpin(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    await staff_matching.unpin(web, visitor, cohort_id, form)
    return await _back_to_run(request, web, visitor, form, None)


@router.post(
    "/cohorts/{cohort_id}/exclusions", response_class=HTMLResponse, summary="Never propose this pair"
)
async def exclude(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_matching.exclude(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        return await _back_to_run(request, web, visitor, form, error)
    return await _back_to_run(request, web, visitor, form, None)


@router.post(
    "/cohorts/{cohort_id}/exclusions/{mentee_id}/{mentor_id}/remove",
    response_class=Response,
    summary="Remove an exclusion",
)
async def unexclude(
    request: Request,
    web: WebContext,
    visitor: Staff,
    cohort_id: UUID,
    mentee_id: UUID,
    mentor_id: UUID,
    form: CheckedForm,
) -> Response:
    await staff_matching.unexclude(web, visitor, cohort_id, mentee_id, mentor_id)
    return await _back_to_run(request, web, visitor, form, None)


@router.post("/runs/{run_id}/approve", response_class=HTMLResponse, summary="Approve: the pairs are matched")
async def approve(
    request: Request, web: WebContext, visitor: Staff, run_id: UUID, form: CheckedForm
) -> Response:
    try:
        approved = await staff_matching.approve(web, visitor, run_id)
    except Conflict as error:  # superseded or out of date: run again
        page = await staff_matching.run_review(web, visitor, run_id)
        return await render(request, "staff/run.html", page, status=409, error=refused(error))
    cohort_id = approved["pairs"][0]["cohort_id"] if approved["pairs"] else None
    if cohort_id is None:
        page = await staff_matching.run_review(web, visitor, run_id)
        cohort_id = page["run"]["cohort_id"]
    return redirect(f"/staff/cohorts/{cohort_id}/pairs?approved={approved['newly_matched']}")
