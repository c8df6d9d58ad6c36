"""A pair's agreement: its members record and confirm it; staff see which pairs have one (no terms)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from services.sessions.domain.errors import NotFound
from services.sessions.entrypoints.http.deps import Caller, PolicyDep, Pool
from services.sessions.entrypoints.http.year_schemas import AgreementIn, AgreementOut, AgreementSummary
from services.sessions.service_layer import agreements
from shared.http.auth import require_staff
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["agreements"])


@router.put(
    "/pairs/{pair_id}/agreement",
    summary="Record or change the pair's agreement (its mentor or mentee)",
    description=(
        "At or after the pair's first session (409 no_first_session before it). A change of frequency or "
        "terms asks both members to confirm again; the recording member confirms at once with "
        "confidentiality_confirmed. Publishes AgreementRecorded without the terms. 403 for staff, 409 "
        "cohort_closed once the cohort is closed."
    ),
    responses=responses(403, 404, 409, 422),
)
async def record_agreement(
    pair_id: UUID, body: AgreementIn, pool: Pool, policy: PolicyDep, caller: Caller
) -> AgreementOut:
    agreement = await agreements.record_agreement(
        pool, policy, caller, pair_id, body.frequency, body.terms, body.confidentiality_confirmed
    )
    return AgreementOut.of(agreement, show_terms=True)


@router.post(
    "/pairs/{pair_id}/agreement/confirmation",
    summary="Confirm the agreement and its confidentiality (each member, from their own page)",
    responses=responses(403, 404, 409),
)
async def confirm_agreement(pair_id: UUID, pool: Pool, policy: PolicyDep, caller: Caller) -> AgreementOut:
    return AgreementOut.of(await agreements.confirm_agreement(pool, policy, caller, pair_id), show_terms=True)


@router.get(
    "/pairs/{pair_id}/agreement",
    summary="The pair's agreement (terms only for its members); 404 when none is recorded",
    responses=responses(404, 422),
)
async def get_agreement(pair_id: UUID, pool: Pool, caller: Caller) -> AgreementOut:
    agreement, show_terms = await agreements.agreement_of(pool, caller, pair_id)
    if agreement is None:
        raise NotFound("the pair has recorded no agreement yet", "no_agreement")
    return AgreementOut.of(agreement, show_terms)


@router.get(
    "/cohorts/{cohort_id}/agreements",
    summary="Which pairs of a cohort have an agreement (staff; never the terms)",
    dependencies=[Depends(require_staff)],
    responses=responses(401, 422),
)
async def cohort_agreements(cohort_id: UUID, pool: Pool) -> list[AgreementSummary]:
    return [
        AgreementSummary.model_validate(r) for r in await agreements.agreements_of_cohort(pool, cohort_id)
    ]
