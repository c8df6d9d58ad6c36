"""Bulk import of a CSV or JSON file: by the company itself, or by staff on a company's behalf."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from services.intake.entrypoints.http.auth import STAFF, Company
from services.intake.entrypoints.http.deps import Pool, Settings, Vault
from services.intake.entrypoints.http.schemas import ImportReport
from services.intake.service_layer import imports
from services.intake.service_layer.imports import ImportLimits
from services.intake.service_layer.vocabulary import EXAMPLE_ROW, template
from services.intake.settings import IntakeSettings
from shared.http.errors import responses

router = APIRouter(tags=["bulk import"])

_DESCRIPTION = (
    "CSV: a header row naming the columns (the fields of a registration without cohort_id; delimiter `,` `;` "
    "or tab; UTF-8), one participant per row; list cells (languages, themes, avoid_company_ids) split on "
    "`;` `,` or `|`; consent yes/no/true/false/ja/nej. JSON: an array of registration objects without "
    "cohort_id. The answer reports every row: accepted (registered, or `replayed` when its external_ref was "
    "registered before with the same details) or rejected with each reason. Rejected rows change nothing. "
    "`dry_run=true` only validates. The whole import is refused for an unknown cohort (404), a closed window "
    "(409), an unreadable file or bad header (422), too many rows or bytes (413), another format (415)."
)
_ROUTE: dict[str, Any] = {
    "response_model": ImportReport,
    "responses": responses(401, 404, 409, 413, 415, 422),
    "openapi_extra": {
        "requestBody": {
            "required": True,
            "description": "The file itself as the body (not multipart): up to 10,000 rows and 16 MiB by default.",
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": template("csv")},
                "application/json": {
                    "schema": {"type": "array", "items": {"type": "object"}},
                    "example": [EXAMPLE_ROW],
                },
            },
        }
    },
}


@dataclass(frozen=True)
class File:
    """The body is the file itself; its Content-Type says CSV or JSON."""

    data: bytes
    content_type: str


async def _file(request: Request) -> File:
    return File(await request.body(), request.headers.get("content-type", ""))


def _limits(settings: IntakeSettings) -> ImportLimits:
    return ImportLimits(settings.max_import_rows, settings.import_batch_size, settings.programme_timezone)


Upload = Annotated[File, Depends(_file)]
DryRun = Annotated[bool, Query(description="Validate and report only; register nothing.")]


@router.post(
    "/v1/cohorts/{cohort_id}/imports",
    summary="Import participants from a CSV or JSON file",
    description=_DESCRIPTION,
    **_ROUTE,
)
async def import_own(
    cohort_id: UUID,
    file: Upload,
    caller: Company,
    pool: Pool,
    vault: Vault,
    settings: Settings,
    dry_run: DryRun = False,
) -> JSONResponse:
    report = await imports.import_file(
        pool, vault, caller.company_id, cohort_id, file.data, file.content_type, dry_run, _limits(settings)
    )
    return JSONResponse(report)  # already JSON-ready: skips re-validating thousands of rows


@router.post(
    "/v1/companies/{company_id}/cohorts/{cohort_id}/imports",
    dependencies=STAFF,
    summary="Import participants on a company's behalf (staff)",
    description="As the company's own import, for a file the company sent to the programme. " + _DESCRIPTION,
    **_ROUTE,
)
async def import_for_company(
    company_id: UUID,
    cohort_id: UUID,
    file: Upload,
    pool: Pool,
    vault: Vault,
    settings: Settings,
    dry_run: DryRun = False,
) -> JSONResponse:
    report = await imports.import_file(
        pool, vault, company_id, cohort_id, file.data, file.content_type, dry_run, _limits(settings)
    )
    return JSONResponse(report)
