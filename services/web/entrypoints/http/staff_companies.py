"""Staff pages: partner companies, their HR contact, their API keys (a new key is shown once)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Conflict, Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext, keep_once, take_once
from services.web.entrypoints.http.pages import form_values, redirect, render, render_refused
from services.web.service_layer import staff_companies

router = APIRouter(prefix="/staff/companies", tags=["staff: companies"])


@router.get("", response_class=HTMLResponse, summary="Partner companies, and a form for a new one")
async def list_companies(request: Request, web: WebContext, visitor: Staff) -> Response:
    companies = await staff_companies.list_companies(web, visitor)
    return await render(request, "staff/companies.html", {"companies": companies})


@router.post("", response_class=HTMLResponse, summary="Register a partner company")
async def create_company(request: Request, web: WebContext, visitor: Staff, form: CheckedForm) -> Response:
    try:
        created = await staff_companies.create_company(web, visitor, form)
    except (Invalid, Conflict) as error:
        companies = await staff_companies.list_companies(web, visitor)
        return await render_refused(request, "staff/companies.html", {"companies": companies}, error, form)
    return redirect(f"/staff/companies/{created['company_id']}")


@router.get("/{company_id}", response_class=HTMLResponse, summary="A company: HR contact, API keys")
async def company_page(request: Request, web: WebContext, visitor: Staff, company_id: UUID) -> Response:
    page = await staff_companies.company_page(web, visitor, company_id)
    shown = await take_once(request)
    new_key = shown.get("api_key") if shown.get("company_id") == str(company_id) else None
    return await render(request, "staff/company.html", {**page, "new_key": new_key})


async def _refused(
    request: Request,
    web: WebContext,
    visitor: Staff,
    company_id: UUID,
    which: str,
    error: Invalid,
    values: dict,
) -> Response:
    """The company's page again with the refused form's messages next to its fields and what was typed."""
    page = await staff_companies.company_page(web, visitor, company_id)
    return await render(
        request, "staff/company.html", {**page, "refused_form": which}, status=422, error=error, values=values
    )


@router.post("/{company_id}/contact", response_class=HTMLResponse, summary="Change the HR contact")
async def change_contact(
    request: Request, web: WebContext, visitor: Staff, company_id: UUID, form: CheckedForm
) -> Response:
    try:
        await staff_companies.change_contact(web, visitor, company_id, form)
    except Invalid as error:
        return await _refused(request, web, visitor, company_id, "contact", error, form_values(form))
    return redirect(f"/staff/companies/{company_id}?saved=contact")


@router.post("/{company_id}/avoid-companies", response_class=HTMLResponse, summary="The must-not-pair list")
async def set_avoid_companies(
    request: Request, web: WebContext, visitor: Staff, company_id: UUID, form: CheckedForm
) -> Response:
    chosen = [str(v) for v in form.getlist("avoid_company_ids")]
    try:
        await staff_companies.set_avoid_companies(web, visitor, company_id, chosen)
    except Invalid as error:
        values = {**form_values(form), "avoid_company_ids": chosen}
        return await _refused(request, web, visitor, company_id, "avoid", error, values)
    return redirect(f"/staff/companies/{company_id}?saved=avoid")


@router.post("/{company_id}/api-keys", response_class=HTMLResponse, summary="Issue a key: shown this once")
async def issue_key(
    request: Request, web: WebContext, visitor: Staff, company_id: UUID, form: CheckedForm
) -> Response:
    try:
        issued = await staff_companies.issue_key(web, visitor, company_id, form)
    except Invalid as error:
        page = await staff_companies.company_page(web, visitor, company_id)
        return await render(
            request,
            "staff/company.html",
            {**page, "refused_form": "key"},
            status=422,
            error=error,
            values=form_values(form),
        )
    await keep_once(request, {"company_id": str(company_id), "api_key": issued["api_key"]})
    return redirect(f"/staff/companies/{company_id}")


@router.post("/{company_id}/api-keys/{key_id}/revoke", response_class=Response, summary="Revoke a key")
async def revoke_key(
    request: Request, web: WebContext, visitor: Staff, company_id: UUID, key_id: UUID, form: CheckedForm
) -> Response:
    await staff_companies.revoke_key(web, visitor, company_id, key_id)
    return redirect(f"/staff/companies/{company_id}")
