"""A person's rights on the web: staff's page of one participant with their data export (ZIP), and a
mentor's or mentee's own data export from their pair page."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.entrypoints.http.deps import Staff, WebContext
from services.web.entrypoints.http.pages import render
from services.web.entrypoints.http.pair import MemberVisitor
from services.web.service_layer import rights

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
