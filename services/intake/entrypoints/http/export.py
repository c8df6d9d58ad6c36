"""A participant's data export: staff, or the person themself with their personal token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from services.intake.entrypoints.http.deps import Pool
from services.intake.service_layer import export
from shared.http.errors import responses
from shared.member_access import require_staff_or_self

router = APIRouter(prefix="/v1/participants", tags=["personal data"])


@router.get(
    "/{participant_id}/export",
    summary="Everything intake holds about one participant (data export)",
    description=(
        "Staff, or the participant themself with their personal pair token (any other member: 404). "
        "The registration as stored, with consent and its text version, company, cohort and the kept "
        "answers of registration retries."
    ),
    responses=responses(401, 404),
)
async def export_participant(participant_id: UUID, request: Request, pool: Pool) -> dict[str, Any]:
    by_staff = await require_staff_or_self(request, participant_id)
    return await export.export_participant(pool, participant_id, by_staff)
