"""A person's rights on the web: staff's page of one participant with their data export (ZIP), a
cohort's retention (anonymising it in one step); a mentor's or mentee's own data export, and withdrawing
their consent (which erases them), from their pair page."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Conflict, Invalid
from services.web.entrypoints.http.deps import CheckedForm, Company, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, render, render_refused
from services.web.entrypoints.http.pair import MemberForm, MemberVisitor, member_page
from services.web.service_layer import pair, retention, rights

router = APIRouter(tags=["personal data"])


def _zip(download: rights.Download) -> Response:
    return Response(
        download.content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "Cache-Control": "no-store",
            "Referrer-Policy": "same-origin",
        },
    )


@router.get("/staff/participants/{participant_id}", response_class=HTMLResponse, summary="One participant")
async def person(request: Request, web: WebContext, visitor: Staff, participant_id: UUID) -> Response:
    page = await rights.staff_person(web, visitor, participant_id)
    return await render(request, "staff/person.html", page)


@router.get(
    "/staff/participants/{participant_id}/export.zip",
    response_class=Response,
    summary="Staff: everything every service holds about the participant, as one ZIP",
)
async def staff_export(web: WebContext, visitor: Staff, participant_id: UUID) -> Response:
    return _zip(await rights.staff_export(web, visitor, participant_id))


@router.get(
    "/pair/{pair_id}/export.zip",
    response_class=Response,
    summary="A member: everything every service holds about them, as one ZIP",
)
async def member_export(web: WebContext, visitor: MemberVisitor, pair_id: UUID) -> Response:
    return _zip(await rights.member_export(web, visitor, pair_id))


@router.get(
    "/staff/cohorts/{cohort_id}/retention",
    response_class=HTMLResponse,
    summary="A cohort's retention: when it may be anonymised, and the button that does it",
)
async def retention_page(request: Request, web: WebContext, visitor: Staff, cohort_id: UUID) -> Response:
    page = await retention.retention_page(web, visitor, cohort_id)
    return await render(request, "staff/retention.html", page)


@router.post(
    "/staff/cohorts/{cohort_id}/anonymisation",
    response_class=HTMLResponse,
    summary="Anonymise the cohort (every participant erased, its figures kept)",
)
async def anonymise(
    request: Request, web: WebContext, visitor: Staff, cohort_id: UUID, form: CheckedForm
) -> Response:
    try:
        await retention.anonymise(web, visitor, cohort_id, form)
    except (Invalid, Conflict) as error:
        page = await retention.retention_page(web, visitor, cohort_id)
        return await render_refused(request, "staff/retention.html", page, error)
    return redirect(f"/staff/cohorts/{cohort_id}/retention?done=anonymised")


@router.get(
    "/pair/{pair_id}/consent-withdrawal",
    response_class=HTMLResponse,
    summary="A member: confirm withdrawing their consent (which erases them)",
)
async def withdrawal_page(request: Request, visitor: MemberVisitor, pair_id: UUID) -> Response:
    visitor.pair(pair_id)
    return await member_page(request, visitor, "pair/withdraw_consent.html", {"pair_id": pair_id})


@router.post(
    "/pair/{pair_id}/consent-withdrawal",
    response_class=HTMLResponse,
    summary="A member withdraws their consent: they are erased",
)
async def withdraw_consent(
    request: Request, web: WebContext, visitor: MemberVisitor, pair_id: UUID, form: MemberForm
) -> Response:
    try:
        await rights.withdraw_member_consent(web, visitor, pair_id, form)
    except Invalid as error:
        context = {"pair_id": pair_id}
        return await member_page(
            request, visitor, "pair/withdraw_consent.html", context, status=422, error=error
        )
    await pair.token_refused(web, visitor.pair(pair_id))  # this browser forgets the pair
    return await render(
        request, "message.html", {"title": "rights_withdrawn_title", "text": "rights_withdrawn_text"}
    )


@router.get(
    "/company/people/{participant_id}/consent-withdrawal",
    response_class=HTMLResponse,
    summary="HR: confirm that the person withdrew their consent (which erases them)",
)
async def company_withdrawal_page(
    request: Request, web: WebContext, visitor: Company, participant_id: UUID
) -> Response:
    page = await rights.company_person(web, visitor, participant_id)
    return await render(request, "company/withdraw_consent.html", page)


@router.post(
    "/company/people/{participant_id}/consent-withdrawal",
    response_class=HTMLResponse,
    summary="HR: the person withdrew their consent; they are erased",
)
async def company_withdraw_consent(
    request: Request, web: WebContext, visitor: Company, participant_id: UUID, form: CheckedForm
) -> Response:
    try:
        await rights.company_withdraw_consent(web, visitor, participant_id, form)
    except Invalid as error:
        page = await rights.company_person(web, visitor, participant_id)
        return await render(request, "company/withdraw_consent.html", page, status=422, error=error)
    return redirect(f"/company/people/{participant_id}?done=consent_withdrawn")
