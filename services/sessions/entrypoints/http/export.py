"""A participant's data export: staff, or the person themself with their personal token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.sessions.entrypoints.http.deps import Caller, Pool
from services.sessions.service_layer import export
from shared.http.errors import responses

router = APIRouter(prefix="/v1/participants", tags=["personal data"])


@router.get(
    "/{participant_id}/export",
    summary="Everything sessions holds about one participant (data export)",
    description=(
        "Staff, or the participant themself with their personal pair token (another member: 404). Their "
        "pairs, those pairs' sessions with every version, and the notes the person wrote: their text only "
        "for the person themself (staff get how many), never the other member's."
    ),
    responses=responses(401, 404),
)
async def export_participant(participant_id: UUID, pool: Pool, caller: Caller) -> dict[str, Any]:
    return await export.export_participant(pool, caller, participant_id)
