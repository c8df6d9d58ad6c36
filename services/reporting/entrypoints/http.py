"""Reporting's JSON and CSV API: the programme view for staff, the company view for a company key."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel

from services.reporting.domain.report import TABLES, Report
from services.reporting.entrypoints.auth import company, staff, viewer
from services.reporting.rebuild import RebuildResult, rebuild
from services.reporting.reports import Reports, Viewer
from services.reporting.settings import ReportingSettings
from services.reporting.views.csv_export import filename, table_csv

router = APIRouter(prefix="/api", tags=["reporting"])

NO_STORE = {"Cache-Control": "no-store"}


class CohortOut(BaseModel):
    cohort_id: UUID
    name: str
    intake_opens_on: date | None
    intake_closes_on: date | None


class RebuildOut(BaseModel):
    read: int
    applied: int
    duplicates: int
    skipped: int
    dead_lettered: int
    seconds: float


def _reports(request: Request) -> Reports:
    reports: Reports = request.app.state.reports
    return reports


def _found(report: Report | None) -> Report:
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such cohort")
    return report


def _csv(report: Report, table: str) -> Response:
    if table not in TABLES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no table {table!r}; tables: {', '.join(TABLES)}")
    chosen = report.tables[table]
    return Response(
        table_csv(chosen),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename(report, chosen)}"'},
    )


@router.get("/cohorts", summary="The cohorts the caller may report on")
async def cohorts(
    request: Request, who: Annotated[Viewer, Depends(viewer)], response: Response
) -> list[CohortOut]:
    response.headers.update(NO_STORE)
    return [
        CohortOut(
            cohort_id=c.cohort_id,
            name=c.title,
            intake_opens_on=c.intake_opens_on,
            intake_closes_on=c.intake_closes_on,
        )
        for c in await _reports(request).cohorts(who)
    ]


@router.get("/programme/cohorts/{cohort_id}", summary="Staff: the whole cohort, with whom to call")
async def programme(
    request: Request, cohort_id: UUID, _: Annotated[Viewer, Depends(staff)], response: Response
) -> Report:
    response.headers.update(NO_STORE)
    return _found(await _reports(request).programme(cohort_id))


@router.get("/programme/cohorts/{cohort_id}/tables/{table}.csv", summary="Staff: one table as CSV")
async def programme_csv(
    request: Request, cohort_id: UUID, table: str, _: Annotated[Viewer, Depends(staff)]
) -> Response:
    return _csv(_found(await _reports(request).programme(cohort_id)), table)


@router.get("/company/cohorts/{cohort_id}", summary="A partner company: its own people, in aggregate")
async def company_view(
    request: Request, cohort_id: UUID, who: Annotated[Viewer, Depends(company)], response: Response
) -> Report:
    assert who.company_id is not None
    response.headers.update(NO_STORE)
    return _found(await _reports(request).company(who.company_id, cohort_id))


@router.get("/company/cohorts/{cohort_id}/tables/{table}.csv", summary="A partner company: one table as CSV")
async def company_csv(
    request: Request, cohort_id: UUID, table: str, who: Annotated[Viewer, Depends(company)]
) -> Response:
    assert who.company_id is not None
    return _csv(_found(await _reports(request).company(who.company_id, cohort_id)), table)


@router.post("/rebuild", summary="Staff: empty the projections and replay every topic from the beginning")
async def rebuild_now(request: Request, _: Annotated[Viewer, Depends(staff)]) -> RebuildOut:
    runtime = _reports(request).runtime
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    result: RebuildResult = await rebuild(runtime.pool, settings, runtime.producer)
    return RebuildOut(**vars(result))
