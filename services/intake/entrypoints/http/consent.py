"""Consent texts: staff publish versions in Danish and English; anyone may read them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel

from services.intake.domain.consent import NewConsentText
from services.intake.entrypoints.http.auth import STAFF
from services.intake.entrypoints.http.deps import Pool, Settings
from services.intake.service_layer import consent
from shared.http.errors import responses

router = APIRouter(prefix="/v1/consent-texts", tags=["consent"])

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
