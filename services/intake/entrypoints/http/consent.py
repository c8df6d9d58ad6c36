"""Consent: staff publish versions of the text in Danish and English (anyone may read them); withdrawing
a person's consent erases them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from services.intake.domain.company import KEY_PREFIX
from services.intake.domain.consent import NewConsentText
from services.intake.entrypoints.http.auth import STAFF, require_company
from services.intake.entrypoints.http.deps import Pool, Settings, Vault
from services.intake.service_layer import consent
from shared.http.auth import bearer_token, is_staff
from shared.http.errors import responses
from shared.member_access import require_staff_or_self

router = APIRouter(prefix="/v1/consent-texts", tags=["consent"])
router_participants = APIRouter(prefix="/v1/participants", tags=["consent"])

Version = Annotated[str, Path(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class ConsentTextOut(BaseModel):
    version: str
    text_da: str
    text_en: str
    published_on: date
    in_force: bool


@router.post(
    "",
    status_code=201,
    response_model=ConsentTextOut,
    dependencies=STAFF,
    summary="Publish a new version of the consent text (staff)",
    description=(
        "Danish and English, in force from `published_on` (today if left out) until a later version's day. "
        "A version never changes: publishing an existing version is a 409. Registrations that name no "
        "`consent_text_version` record the version in force on their day."
    ),
    responses=responses(401, 409, 413, 422),
)
async def publish_text(body: NewConsentText, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await consent.publish_text(pool, body, settings.programme_timezone)


@router.get(
    "", response_model=list[ConsentTextOut], summary="Every version of the consent text, newest first"
)
async def list_texts(pool: Pool, settings: Settings) -> list[dict[str, Any]]:
    return await consent.list_texts(pool, settings.programme_timezone)


@router.get(
    "/{version}",
    response_model=ConsentTextOut,
    summary="One version of the consent text",
    responses=responses(404),
)
async def get_text(version: Version, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await consent.get_text(pool, version, settings.programme_timezone)


class WithdrawalOut(BaseModel):
    participant_id: UUID
    withdrawn_at: datetime
    withdrawn_by: Literal["staff", "company", "self"]
    status: str
    keys: str


async def _withdrawer(request: Request, participant_id: UUID) -> tuple[consent.Withdrawer, UUID | None]:
    """Staff, the person's own company (its API key), or the person themself (their pair token)."""
    if is_staff(request):
        return "staff", None
    token = bearer_token(request)
    if token is not None and token.startswith(f"{KEY_PREFIX}_"):
        return "company", (await require_company(request)).company_id
    await require_staff_or_self(request, participant_id)
    return "self", None


@router_participants.post(
    "/{participant_id}/consent/withdrawal",
    response_model=WithdrawalOut,
    summary="Withdraw the person's consent: they are erased",
    description=(
        "Staff, the person's own company (another company's participant: 404) or the person themself "
        "(their personal pair token). The withdrawal is recorded (when, by whom) and the person is erased "
        "as by POST /v1/participants/{id}/erasure: scrubbed here, ParticipantErased, key destroyed."
    ),
    responses=responses(401, 404),
)
async def withdraw_consent(
    participant_id: UUID,
    pool: Pool,
    vault: Vault,
    who: Annotated[tuple[consent.Withdrawer, UUID | None], Depends(_withdrawer)],
) -> dict[str, Any]:
    by, company_id = who
    return await consent.withdraw_consent(pool, vault, participant_id, by, company_id)
