"""A member's pages for the programme year: the pair's agreement and the evaluations they answer."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Invalid
from services.web.entrypoints.http.deps import WebContext
from services.web.entrypoints.http.pages import form_values, redirect
from services.web.entrypoints.http.pair import MemberForm, MemberVisitor, _page
from services.web.service_layer import pair_year

router = APIRouter(tags=["mentor and mentee"])


@router.get("/pair/{pair_id}/agreement", response_class=HTMLResponse, summary="The pair's agreement")
async def agreement(request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor) -> Response:
    page = await pair_year.agreement_page(web, visitor, pair_id)
    values = {}
    if page["agreement"]:
        values = {"frequency": page["agreement"]["frequency"], "terms": page["agreement"]["terms"] or ""}
    done = request.query_params.get("done", "")
    return await _page(request, visitor, "pair/agreement.html", {**page, "done": done}, values=values)


@router.post(
    "/pair/{pair_id}/agreement", response_class=HTMLResponse, summary="Record or change the agreement"
)
async def record_agreement(
    request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor, form: MemberForm
) -> Response:
    try:
        await pair_year.record_agreement(web, visitor, pair_id, form)
    except Invalid as error:
        page = await pair_year.agreement_page(web, visitor, pair_id)
        return await _page(
            request, visitor, "pair/agreement.html", page, status=422, error=error, values=form_values(form)
        )
    return redirect(f"/pair/{pair_id}/agreement?done=recorded")


@router.post(
    "/pair/{pair_id}/agreement/confirmation", response_class=HTMLResponse, summary="Confirm the agreement"
)
async def confirm_agreement(
    request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor, form: MemberForm
) -> Response:
    await pair_year.confirm_agreement(web, visitor, pair_id)
    return redirect(f"/pair/{pair_id}/agreement?done=confirmed")


@router.get("/pair/{pair_id}/evaluations", response_class=HTMLResponse, summary="The evaluations to answer")
async def evaluations(request: Request, pair_id: UUID, web: WebContext, visitor: MemberVisitor) -> Response:
    page = await pair_year.evaluations_page(web, visitor, pair_id)
    return await _page(
        request, visitor, "pair/evaluations.html", {**page, "done": request.query_params.get("done", "")}
    )


@router.get(
    "/pair/{pair_id}/evaluations/{evaluation_id}", response_class=HTMLResponse, summary="Answer an evaluation"
)
async def evaluation(
    request: Request, pair_id: UUID, evaluation_id: UUID, web: WebContext, visitor: MemberVisitor
) -> Response:
    page = await pair_year.evaluation(web, visitor, pair_id, evaluation_id)
    return await _page(request, visitor, "pair/evaluation_form.html", page)


@router.post(
    "/pair/{pair_id}/evaluations/{evaluation_id}",
    response_class=HTMLResponse,
    summary="Send the answer, once",
)
async def answer(
    request: Request,
    pair_id: UUID,
    evaluation_id: UUID,
    web: WebContext,
    visitor: MemberVisitor,
    form: MemberForm,
) -> Response:
    try:
        await pair_year.answer(web, visitor, pair_id, evaluation_id, form)
    except Invalid as error:
        page = await pair_year.evaluation(web, visitor, pair_id, evaluation_id)
        values = {k: v for k, v in form_values(form).items() if k != "member_csrf"}
        return await _page(
            request, visitor, "pair/evaluation_form.html", page, status=422, error=error, values=values
        )
    return redirect(f"/pair/{pair_id}/evaluations?done=answered")


@router.post(
    "/pair/{pair_id}/evaluations/{evaluation_id}/quote-withdrawal",
    response_class=HTMLResponse,
    summary="Withdraw the consent to publish my quote",
)
async def withdraw_quote(
    pair_id: UUID, evaluation_id: UUID, web: WebContext, visitor: MemberVisitor, form: MemberForm
) -> Response:
    await pair_year.withdraw_quote(web, visitor, pair_id, evaluation_id)
    return redirect(f"/pair/{pair_id}/evaluations?done=withdrawn")
