"""A partner company's HR pages: its people (list, register, change, withdraw), uploads, its dashboard."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from services.web.domain import people as rules
from services.web.domain import upload as files
from services.web.domain.errors import Invalid, NotFound, Problem
from services.web.entrypoints.http.deps import CheckedForm, Company, WebContext
from services.web.entrypoints.http.pages import redirect, render
from services.web.service_layer import people, uploads
from shared.errors import TooLarge

router = APIRouter(prefix="/company", tags=["partner company"])


def _form_page_context(choices: people.Choices, **extra: Any) -> dict[str, Any]:
    vocabulary = choices.vocabulary
    return {
        "cohorts": choices.cohorts,
        "open_cohorts": choices.open_cohorts,
        "themes": [(t["code"], t["label"]) for t in vocabulary.get("themes", [])],
        "industries": vocabulary.get("industries", []),
        "functions": vocabulary.get("functions", []),
        "regions": vocabulary.get("regions", []),
        "meeting_preferences": vocabulary.get("meeting_preferences", []),
        "common_languages": rules.COMMON_LANGUAGES,
        **extra,
    }


@router.get("/people", response_class=HTMLResponse, summary="The company's own people and their status")
async def list_people(request: Request, web: WebContext, visitor: Company) -> Response:
    q = request.query_params
    found = await people.list_people(
        web, visitor, q.get("cohort", ""), q.get("status", ""), q.get("role", ""), q.get("cursor") or None
    )
    return await render(
        request,
        "company/people.html",
        {**found, "done": q.get("done", ""), "statuses": people.STATUSES, "roles": people.ROLES},
    )


@router.get("/people/new", response_class=HTMLResponse, summary="The registration form")
async def new_person(request: Request, web: WebContext, visitor: Company) -> Response:
    choices = await people.choices(web, visitor)
    values = people.new_form_values(choices.cohorts, request.query_params.get("cohort"))
    return await render(request, "company/person_form.html", _form_page_context(choices), values=values)


@router.post("/people", response_class=HTMLResponse, summary="Register one person")
async def register(request: Request, web: WebContext, visitor: Company, form: CheckedForm) -> Response:
    values = rules.form_values(form)
    try:
        registered = await people.register(web, visitor, values)
    except Invalid as error:
        choices = await people.choices(web, visitor)
        return await render(
            request,
            "company/person_form.html",
            _form_page_context(choices),
            status=422,
            error=error,
            values=values,
        )
    return redirect(f"/company/people/{registered['participant_id']}?done=registered")


@router.get("/people/{participant_id}", response_class=HTMLResponse, summary="One person: change or withdraw")
async def show_person(request: Request, participant_id: UUID, web: WebContext, visitor: Company) -> Response:
    found = await people.person(web, visitor, participant_id)
    choices = await people.choices(web, visitor)
    context = _form_page_context(
        choices,
        person=found,
        cohort_name=choices.cohort_name(found["cohort_id"]),
        done=request.query_params.get("done", ""),
        reasons=rules.WITHDRAWAL_REASONS,
    )
    return await render(request, "company/person.html", context, values=rules.values_of(found))


@router.post("/people/{participant_id}", response_class=HTMLResponse, summary="Change a person's profile")
async def change_person(
    request: Request, participant_id: UUID, web: WebContext, visitor: Company, form: CheckedForm
) -> Response:
    values = rules.form_values(form)
    try:
        _, changed = await people.change(web, visitor, participant_id, values)
    except Invalid as error:
        found = await people.person(web, visitor, participant_id)
        choices = await people.choices(web, visitor)
        context = _form_page_context(
            choices,
            person=found,
            cohort_name=choices.cohort_name(found["cohort_id"]),
            reasons=rules.WITHDRAWAL_REASONS,
        )
        return await render(request, "company/person.html", context, status=422, error=error, values=values)
    return redirect(f"/company/people/{participant_id}?done={'changed' if changed else 'unchanged'}")


@router.post("/people/{participant_id}/withdrawal", response_class=HTMLResponse, summary="Withdraw a person")
async def withdraw_person(
    request: Request, participant_id: UUID, web: WebContext, visitor: Company, form: CheckedForm
) -> Response:
    reason, note = str(form.get("reason") or ""), str(form.get("note") or "")
    try:
        await people.withdraw(web, visitor, participant_id, reason, note)
    except Invalid as error:
        found = await people.person(web, visitor, participant_id)
        choices = await people.choices(web, visitor)
        context = _form_page_context(
            choices,
            person=found,
            cohort_name=choices.cohort_name(found["cohort_id"]),
            reasons=rules.WITHDRAWAL_REASONS,
        )
        values = {**rules.values_of(found), "reason": reason, "note": note}
        return await render(request, "company/person.html", context, status=422, error=error, values=values)
    return redirect(f"/company/people/{participant_id}?done=withdrawn")


@router.get("/uploads/new", response_class=HTMLResponse, summary="Upload a CSV or JSON file")
async def new_upload(request: Request, web: WebContext, visitor: Company) -> Response:
    choices = await people.choices(web, visitor)
    values = people.new_form_values(choices.cohorts, request.query_params.get("cohort"))
    return await render(request, "company/upload.html", _form_page_context(choices), values=values)


def upload_size(request: Request) -> None:
    """Before the form is read: a browser's upload says its size; more than a file may be is refused
    without reading it (and a body of unknown length is not read at all)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > uploads.MAX_UPLOAD_BYTES + 64 * 1024:
        raise TooLarge(
            f"an upload may be at most {uploads.MAX_UPLOAD_BYTES // (1024 * 1024)} MiB", "body_too_large"
        )


@router.post(
    "/uploads",
    response_class=HTMLResponse,
    summary="Check a file (dry run)",
    dependencies=[Depends(upload_size)],
)
async def check_upload(request: Request, web: WebContext, visitor: Company, form: CheckedForm) -> Response:
    cohort_id = str(form.get("cohort_id") or "")
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise Invalid([Problem(("body", "file"), "choose a CSV or JSON file", "file_missing")])
        data = await file.read(uploads.MAX_UPLOAD_BYTES + 1)
        upload_id = await uploads.check(web, visitor, cohort_id, file.filename, file.content_type or "", data)
    except Invalid as error:
        choices = await people.choices(web, visitor)
        return await render(
            request,
            "company/upload.html",
            _form_page_context(choices),
            status=422,
            error=error,
            values={"cohort_id": cohort_id},
        )
    return redirect(f"/company/uploads/{upload_id}")


@router.get("/uploads/{upload_id}", response_class=HTMLResponse, summary="An upload: its report and progress")
async def show_upload(request: Request, upload_id: UUID, web: WebContext, visitor: Company) -> Response:
    found = await uploads.upload(web, visitor, upload_id)
    choices = await people.choices(web, visitor)
    report = found["report"] or found["checked"]
    context = {
        "upload": found,
        "cohort_name": choices.cohort_name(found["cohort_id"]),
        "report": report,
        "problems": rules.problems_by_row(report["results"]),
        "percent": int(100 * found["done"] / found["total"]) if found["total"] else 100,
        "accepted_rows": len(files.accepted_rows(found["checked"])),
    }
    return await render(request, "company/upload_report.html", context)


@router.get("/uploads/{upload_id}/progress", summary="An upload's progress, for the page's small script")
async def upload_progress(upload_id: UUID, web: WebContext, visitor: Company) -> dict[str, Any]:
    found = await uploads.upload(web, visitor, upload_id)
    return {"state": found["state"], "done": found["done"], "total": found["total"]}


@router.post("/uploads/{upload_id}/import", response_class=HTMLResponse, summary="Import the accepted rows")
async def start_import(
    request: Request, upload_id: UUID, web: WebContext, visitor: Company, form: CheckedForm
) -> Response:
    await uploads.start(web, visitor, upload_id)
    return redirect(f"/company/uploads/{upload_id}")


@router.get("/dashboard", response_class=HTMLResponse, summary="The company's dashboard (from reporting)")
async def dashboard(request: Request, web: WebContext, visitor: Company) -> Response:
    chosen = request.query_params.get("cohort")
    try:
        cohort_id = UUID(chosen) if chosen else None
    except ValueError as malformed:
        raise NotFound("no such cohort") from malformed
    found = await people.dashboard(web, visitor, cohort_id)
    return await render(request, "company/dashboard.html", found)
