"""Staff only: erase people (crypto-shredding; README "Personal data")."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.intake.domain.erasure import Erasures
from services.intake.entrypoints.http.auth import STAFF
from services.intake.entrypoints.http.deps import Pool, Vault
from services.intake.entrypoints.http.schemas import ErasureOut, ErasuresOut
from services.intake.service_layer import erasure
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["staff: erasure"], dependencies=STAFF)

WHAT = (
    "Scrubs the person's name, email, job title, free text and stored answers in intake, publishes "
    "ParticipantErased (no personal data; every service then forgets them) and destroys their key in the "
    "vault, so no copy of their name in the event log can be read again. They still count (a pair stays "
    "a pair), shown as erased. Erasing again answers the same and publishes nothing."
)


@router.post(
    "/participants/{participant_id}/erasure",
    response_model=ErasureOut,
    summary="Erase one person",
    description=WHAT,
    responses=responses(401, 404),
)
async def erase_participant(participant_id: UUID, pool: Pool, vault: Vault) -> dict[str, Any]:
    return await erasure.erase_one(pool, vault, participant_id)


@router.post(
    "/erasures",
    response_model=ErasuresOut,
    summary="Erase many people in one request",
    description=f"{WHAT} All of them in one transaction; ids no participant has are listed, not refused.",
    responses=responses(401, 413, 422),
)
async def erase_participants(body: Erasures, pool: Pool, vault: Vault) -> dict[str, Any]:
    return await erasure.erase_many(pool, vault, body.participant_ids)
