"""Bulk import of a CSV or JSON file: by the company itself, or by staff on a company's behalf."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.intake.domain.importing import COLUMNS
from services.intake.domain.registration import EXAMPLE
from services.intake.entrypoints.http.auth import STAFF, Company
from services.intake.entrypoints.http.deps import Pool, Settings
from services.intake.entrypoints.http.errors import responses
from services.intake.entrypoints.http.schemas import ImportReport
from services.intake.service_layer import companies, imports
from services.intake.service_layer.imports import ImportLimits
from services.intake.settings import IntakeSettings

router = APIRouter(tags=["bulk import"])

_ROW = {k: v for k, v in EXAMPLE.items() if k != "cohort_id"}
_CSV_EXAMPLE = (
    ",".join(COLUMNS)
    + "\n"
    + ",".join(
        f'"{";".join(map(str, v))}"' if isinstance(v, list) else ("yes" if v is True else f'"{v}"')
        for v in (_ROW.get(c, "") for c in COLUMNS)
    )
    + "\n"
)
_BODY = {
    "requestBody": {
        "required": True,
        "description": "The file itself as the body (not multipart): up to 10,000 rows and 16 MiB by default.",
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}, "example": [_ROW]},
        },
    }
}
_DESCRIPTION = (
    "CSV: a header row naming the columns (the fields of a registration without cohort_id; delimiter `,` `;` "
    "or tab; UTF-8), one participant per row; list cells (languages, themes, avoid_company_ids) split on "
    "`;` `,` or `|`; consent yes/no/true/false/ja/nej. JSON: an array of registration objects without "
    "cohort_id. The answer reports every row: accepted (registered, or `replayed` when its external_ref was "
    "registered before with the same details) or rejected with each reason. Rejected rows change nothing. "
    "`dry_run=true` only validates. The whole import is refused for an unknown cohort (404), a closed window "
    "(409), an unreadable file or bad header (422), too many rows or bytes (413), another format (415)."
)

DryRun = Annotated[bool, Query(description="Validate and report only; register nothing.")]


async def _run(
    pool: asyncpg.Pool,
    company_id: UUID,
    cohort_id: UUID,
    request: Request,
    settings: IntakeSettings,
    dry_run: bool,
) -> JSONResponse:
    limits = ImportLimits(settings.max_import_rows, settings.import_batch_size, settings.programme_timezone)
    content_type = request.headers.get("content-type", "")
    report = await imports.import_file(
        pool, company_id, cohort_id, await request.body(), content_type, dry_run, limits
    )
    return JSONResponse(report)  # already JSON-ready: skips re-validating thousands of rows


@router.post(
    "/v1/cohorts/{cohort_id}/imports",
    response_model=ImportReport,
    summary="Import participants from a CSV or JSON file",
    description=_DESCRIPTION,
    openapi_extra=_BODY,
    responses=responses(401, 404, 409, 413, 415, 422),
)
async def import_own(
    cohort_id: UUID,
    request: Request,
    caller: Company,
    pool: Pool,
    settings: Settings,
    dry_run: DryRun = False,
) -> JSONResponse:
    return await _run(pool, caller.company_id, cohort_id, request, settings, dry_run)


@router.post(
    "/v1/companies/{company_id}/cohorts/{cohort_id}/imports",
    response_model=ImportReport,
    dependencies=STAFF,
    summary="Import participants on a company's behalf (staff)",
    description="As the company's own import, for a file the company sent to the programme. " + _DESCRIPTION,
    openapi_extra=_BODY,
    responses=responses(401, 404, 409, 413, 415, 422),
)
async def import_for_company(
    company_id: UUID,
    cohort_id: UUID,
    request: Request,
    pool: Pool,
    settings: Settings,
    dry_run: DryRun = False,
) -> JSONResponse:
    await companies.get_company(pool, company_id)
    return await _run(pool, company_id, cohort_id, request, settings, dry_run)
