"""A participant's data export: staff, or the person themself with their personal token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from services.reporting.entrypoints.http.deps import Pool
from services.reporting.service_layer import export
from shared.http.errors import responses
from shared.member_access import require_staff_or_self

router = APIRouter(prefix="/api/participants", tags=["personal data"])


@router.get(
    "/{participant_id}/export",
    summary="Everything reporting holds about one participant (data export)",
    description=(
        "Staff (the admin bearer token), or the participant themself with their personal pair token (any "
        "other member: 404): their row, their pairs and those pairs' sessions, as reporting keeps them."
    ),
    responses=responses(401, 404),
)
async def export_participant(participant_id: UUID, request: Request, pool: Pool) -> dict[str, Any]:
    by_staff = await require_staff_or_self(request, participant_id)
    return await export.export_participant(pool, participant_id, by_staff)
