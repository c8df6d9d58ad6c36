"""A partner company's own participants: register, read, change, withdraw. Others' are 404."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from services.intake.domain.registration import ProfileChanges, Registration
from services.intake.entrypoints.http.auth import Company
from services.intake.entrypoints.http.deps import Page, Pool, Settings, Vault
from services.intake.entrypoints.http.schemas import ParticipantOut, ParticipantPage, Withdrawal
from services.intake.service_layer import participants
from shared.http.errors import responses

router = APIRouter(prefix="/v1/participants", tags=["participants"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Any unique string per intended registration; a retry with it gets the first answer.",
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=ParticipantOut,
    summary="Register a mentor or mentee into a cohort",
    description=(
        "The company is the API key's. Retries are safe: the same `Idempotency-Key`, or the same "
        "`external_ref`, gets the first answer again (header `Idempotent-Replayed: true`) and never a second "
        "participant. Refusals: 422 names each bad field (also an unknown `cohort_id`); 409 when the intake "
        "window is not open, the email is already registered in the cohort, or the external_ref was used for "
        "other details. Publishes ParticipantRegistered."
    ),
    responses=responses(401, 409, 413, 422),
)
async def register(
    body: Registration,
    caller: Company,
    pool: Pool,
    vault: Vault,
    settings: Settings,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    reply = await participants.register(
        pool, vault, caller.company_id, body, idempotency_key, settings.programme_timezone
    )
    headers = {"Idempotent-Replayed": "true"} if reply.replayed else {}
    return JSONResponse(reply.body, status_code=reply.status_code, headers=headers)


@router.get(
    "",
    response_model=ParticipantPage,
    summary="List your own participants",
    description="In registration order, a page at a time; filter by cohort, role, status or external_ref.",
    responses=responses(401, 422),
)
async def list_participants(caller: Company, pool: Pool, page: Page) -> dict[str, Any]:
    return await participants.list_page(pool, caller.company_id, page.filters, page.after, page.limit)


@router.get(
    "/{participant_id}",
    response_model=ParticipantOut,
    summary="One of your participants",
    responses=responses(401, 404),
)
async def get_participant(participant_id: UUID, caller: Company, pool: Pool) -> dict[str, Any]:
    return await participants.get(pool, caller.company_id, participant_id)


@router.patch(
    "/{participant_id}",
    response_model=ParticipantOut,
    summary="Change a participant's profile",
    description=(
        "Send only the fields that change; every registration rule is checked again on the result. "
        "Cohort, role, external_ref and consent cannot change. Publishes ParticipantProfileUpdated when "
        "the name or a matching attribute changed (email, job title and free text stay in intake). "
        "409 for a withdrawn participant or an email taken in the cohort."
    ),
    responses=responses(401, 404, 409, 413, 422),
)
async def update_participant(
    participant_id: UUID, body: ProfileChanges, caller: Company, pool: Pool, vault: Vault
) -> dict[str, Any]:
    return await participants.update(pool, vault, caller.company_id, participant_id, body)


@router.post(
    "/{participant_id}/withdrawal",
    response_model=ParticipantOut,
    summary="Withdraw a participant from the programme",
    description=(
        "Matching stops considering them; reporting counts them apart. Publishes ParticipantWithdrawn with the "
        "reason code (the note stays in intake). Withdrawing again answers the same and publishes nothing."
    ),
    responses=responses(401, 404, 422),
)
async def withdraw_participant(
    participant_id: UUID, body: Withdrawal, caller: Company, pool: Pool
) -> dict[str, Any]:
    return await participants.withdraw(pool, caller.company_id, participant_id, body.reason, body.note)
