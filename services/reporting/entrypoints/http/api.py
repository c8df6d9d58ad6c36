"""Reporting's JSON and CSV API: the programme view for staff, the company view for a company key."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from services.reporting.domain.errors import credentials_required
from services.reporting.domain.report import Report
from services.reporting.entrypoints.http.deps import (
    Anyone,
    Company,
    Pool,
    ReportsDep,
    Settings,
    Staff,
)
from services.reporting.entrypoints.http.render.csv_export import filename, table_csv
from services.reporting.entrypoints.http.schemas import CohortOut, SignInCodeOut
from services.reporting.service_layer import sign_ins
from shared.http.auth import bearer_token
from shared.http.errors import responses

router = APIRouter(prefix="/api", tags=["reporting"])

NO_STORE = {"Cache-Control": "no-store"}
AS_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The table as CSV"}
}


def _csv(report: Report, name: str) -> Response:
    table = report.table(name)
    return Response(
        table_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename(report, table)}"'},
    )


@router.post(
    "/sign-in-codes",
    summary="A one-time code that signs a browser in to the dashboard from a link, without the secret",
    status_code=status.HTTP_201_CREATED,
    responses=responses(401),
)
async def sign_in_code(request: Request, pool: Pool, settings: Settings, response: Response) -> SignInCodeOut:
    """For the bearer credential's viewer (staff or a company key): link to a dashboard page with
    `?code=...`; the first browser to open it gets a session, later ones the sign-in form."""
    response.headers.update(NO_STORE)
    lasts = timedelta(seconds=settings.sign_in_code_s)
    opened = await sign_ins.issue_code(pool, settings.admin_token, bearer_token(request), lasts)
    if opened is None:
        raise credentials_required()
    return SignInCodeOut(code=opened.value, expires_at=opened.expires_at)


@router.get("/cohorts", summary="The cohorts the caller may report on", responses=responses(401))
async def cohorts(reports: ReportsDep, who: Anyone, response: Response) -> list[CohortOut]:
    response.headers.update(NO_STORE)
    return [CohortOut.of(c) for c in await reports.cohorts(who)]


@router.get(
    "/programme/cohorts/{cohort_id}",
    summary="Staff: the whole cohort, with whom to call",
    responses=responses(401, 403, 404, 422),
)
async def programme(reports: ReportsDep, cohort_id: UUID, _: Staff, response: Response) -> Report:
    response.headers.update(NO_STORE)
    return await reports.programme(cohort_id)


@router.get(
    "/programme/cohorts/{cohort_id}/tables/{table}.csv",
    summary="Staff: one table as CSV",
    response_class=Response,
    responses={**AS_CSV, **responses(401, 403, 404, 422)},
)
async def programme_csv(reports: ReportsDep, cohort_id: UUID, table: str, _: Staff) -> Response:
    return _csv(await reports.programme(cohort_id), table)


@router.get(
    "/company/cohorts/{cohort_id}",
    summary="A partner company: its own people, in aggregate",
    responses=responses(401, 403, 404, 422),
)
async def company_view(reports: ReportsDep, cohort_id: UUID, who: Company, response: Response) -> Report:
    assert who.company_id is not None
    response.headers.update(NO_STORE)
    return await reports.company(who.company_id, cohort_id)


@router.get(
    "/company/cohorts/{cohort_id}/tables/{table}.csv",
    summary="A partner company: one table as CSV",
    response_class=Response,
    responses={**AS_CSV, **responses(401, 403, 404, 422)},
)
async def company_csv(reports: ReportsDep, cohort_id: UUID, table: str, who: Company) -> Response:
    assert who.company_id is not None
    return _csv(await reports.company(who.company_id, cohort_id), table)
