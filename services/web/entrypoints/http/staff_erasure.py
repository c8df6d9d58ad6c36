"""Staff pages: erase a person ("Erase this person" on their page, with a confirmation)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.domain.errors import Invalid
from services.web.entrypoints.http.deps import CheckedForm, Staff, WebContext
from services.web.entrypoints.http.pages import redirect, render
from services.web.service_layer import staff_erasure

router = APIRouter(prefix="/staff/participants/{participant_id}", tags=["staff: erasure"])


@router.get("/erasure", response_class=HTMLResponse, summary="Confirm erasing a person")
async def erasure_page(request: Request, web: WebContext, visitor: Staff, participant_id: UUID) -> Response:
    page = await staff_erasure.erasure_page(web, visitor, participant_id)
    return await render(request, "staff/erase.html", page)


@router.post("/erasure", response_class=HTMLResponse, summary="Erase a person")
async def erase(
    request: Request, web: WebContext, visitor: Staff, participant_id: UUID, form: CheckedForm
) -> Response:
    try:
        answer = await staff_erasure.erase(web, visitor, participant_id, form)
    except Invalid as error:
        page = await staff_erasure.erasure_page(web, visitor, participant_id)
        return await render(request, "staff/erase.html", page, status=422, error=error)
    done = "pending" if answer.get("keys") == "pending" else "done"
    return redirect(f"/staff/participants/{participant_id}?erased={done}")
