"""Staff only: partner companies and their API keys."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from services.intake.domain.company import CompanyAvoidList, ContactChanges, NewApiKey, NewCompany
from services.intake.entrypoints.http.auth import STAFF
from services.intake.entrypoints.http.deps import Page, Pool, Vault
from services.intake.entrypoints.http.schemas import ApiKeyOut, CompanyOut, IssuedApiKey, ParticipantPage
from services.intake.service_layer import companies, participants
from shared.http.errors import responses

router = APIRouter(prefix="/v1/companies", tags=["staff: companies and API keys"], dependencies=STAFF)


@router.post(
    "",
    status_code=201,
    response_model=CompanyOut,
    summary="Register a partner company",
    description="Publishes CompanyRegistered (with the HR contact). Names are unique regardless of case.",
    responses=responses(401, 409, 422),
)
async def create_company(body: NewCompany, pool: Pool, vault: Vault) -> dict[str, Any]:
    return await companies.create_company(pool, vault, body)


@router.get("", response_model=list[CompanyOut], summary="List partner companies", responses=responses(401))
async def list_companies(pool: Pool) -> list[dict[str, Any]]:
    return await companies.list_companies(pool)


@router.get(
    "/{company_id}", response_model=CompanyOut, summary="One partner company", responses=responses(401, 404)
)
async def get_company(company_id: UUID, pool: Pool) -> dict[str, Any]:
    return await companies.get_company(pool, company_id)


@router.patch(
    "/{company_id}",
    response_model=CompanyOut,
    summary="Change a company's HR contact",
    description=(
        "Only the HR contact's name and email; the company's name cannot change. When something changed, "
        "publishes CompanyRegistered again with the new contact (every consumer keeps the newest statement)."
    ),
    responses=responses(401, 404, 422),
)
async def change_company(company_id: UUID, body: ContactChanges, pool: Pool, vault: Vault) -> dict[str, Any]:
    return await companies.change_contact(pool, vault, company_id, body)


@router.put(
    "/{company_id}/avoid-companies",
    response_model=CompanyOut,
    summary="Set a company's must-not-pair list",
    description=(
        "The partner companies none of this company's people may be paired with (e.g. competitors); the "
        "whole list, replacing the one before. Each must be another partner company. Intake adds them to "
        "every participant's avoid_company_ids in the profile it publishes, and publishes "
        "ParticipantProfileUpdated for each active participant whose published list changes."
    ),
    responses=responses(401, 404, 422),
)
async def set_avoid_companies(
    company_id: UUID, body: CompanyAvoidList, pool: Pool, vault: Vault
) -> dict[str, Any]:
    return await companies.set_avoid_list(pool, vault, company_id, body)


@router.post(
    "/{company_id}/api-keys",
    status_code=201,
    response_model=IssuedApiKey,
    summary="Issue an API key to a company",
    description=(
        "The key (`mn_...`) is in this response only; intake stores its SHA-256. A company may hold several "
        "keys (e.g. one per system). Publishes CompanyApiKeyIssued with the hash, so other services "
        "recognise the key."
    ),
    responses=responses(401, 404, 422),
)
async def issue_key(company_id: UUID, pool: Pool, body: NewApiKey | None = None) -> dict[str, Any]:
    return await companies.issue_key(pool, company_id, body or NewApiKey())


@router.get(
    "/{company_id}/api-keys",
    response_model=list[ApiKeyOut],
    summary="A company's API keys (never the keys themselves)",
    responses=responses(401, 404),
)
async def list_keys(company_id: UUID, pool: Pool) -> list[dict[str, Any]]:
    return await companies.list_keys(pool, company_id)


@router.delete(
    "/{company_id}/api-keys/{key_id}",
    response_model=ApiKeyOut,
    summary="Revoke an API key",
    description="From now on the key gets 401. Publishes CompanyApiKeyRevoked once; revoking again is harmless.",
    responses=responses(401, 404),
)
async def revoke_key(company_id: UUID, key_id: UUID, pool: Pool) -> dict[str, Any]:
    return await companies.revoke_key(pool, company_id, key_id)


@router.get(
    "/{company_id}/participants",
    response_model=ParticipantPage,
    summary="A company's participants, as staff see them",
    description="The same page and filters as GET /v1/participants, for any company.",
    responses=responses(401, 404, 422),
)
async def list_company_participants(company_id: UUID, pool: Pool, page: Page) -> dict[str, Any]:
    return await participants.list_company_page(pool, company_id, page.filters, page.after, page.limit)
