"""Evaluations: staff open them and read counts and consented quotes; members answer from their page."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from services.sessions.entrypoints.http.deps import Caller, PolicyDep, Pool, Vault
from services.sessions.entrypoints.http.year_schemas import (
    AnswerIn,
    CohortEvaluationOut,
    EvaluationIn,
    EvaluationOut,
    PairEvaluationOut,
    QuoteOut,
    QuoteWithdrawnOut,
    SubmittedOut,
)
from services.sessions.service_layer import evaluations
from shared.http.auth import require_staff
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["evaluations"])
STAFF = [Depends(require_staff)]


@router.post(
    "/cohorts/{cohort_id}/evaluations",
    status_code=201,
    summary="Open a cohort's mid-point or closing evaluation (staff)",
    description="One of each kind per cohort (409 evaluation_exists). Publishes EvaluationOpened.",
    dependencies=STAFF,
    responses=responses(401, 409, 422),
)
async def open_evaluation(
    cohort_id: UUID, body: EvaluationIn, pool: Pool, policy: PolicyDep
) -> EvaluationOut:
    opened = await evaluations.open_evaluation(
        pool, policy, cohort_id, body.kind, body.opens_on, body.closes_on
    )
    return EvaluationOut.model_validate(opened, from_attributes=True)


@router.get(
    "/cohorts/{cohort_id}/evaluations",
    summary="A cohort's evaluations with how many mentors and mentees answered (staff)",
    dependencies=STAFF,
    responses=responses(401, 422),
)
async def cohort_evaluations(cohort_id: UUID, pool: Pool) -> list[CohortEvaluationOut]:
    rows = await evaluations.evaluations_of_cohort(pool, cohort_id)
    return [CohortEvaluationOut.model_validate(r) for r in rows]


@router.get(
    "/cohorts/{cohort_id}/quotes",
    summary="The consented quotes of a cohort's evaluations, signed only by role and year (staff)",
    dependencies=STAFF,
    responses=responses(401, 422),
)
async def cohort_quotes(cohort_id: UUID, pool: Pool) -> list[QuoteOut]:
    return [QuoteOut.model_validate(q) for q in await evaluations.quotes_of_cohort(pool, cohort_id)]


@router.get(
    "/pairs/{pair_id}/evaluations",
    summary="The evaluations of the pair's cohort, open or not, and whether the caller answered",
    responses=responses(404, 422),
)
async def pair_evaluations(
    pair_id: UUID, pool: Pool, policy: PolicyDep, caller: Caller
) -> list[PairEvaluationOut]:
    rows = await evaluations.evaluations_of_pair(pool, policy, caller, pair_id)
    return [PairEvaluationOut.model_validate(r) for r in rows]


@router.post(
    "/pairs/{pair_id}/evaluations/{evaluation_id}/answer",
    status_code=201,
    summary="Answer an evaluation, once (the pair's mentor or mentee, each from their own page)",
    description=(
        "Scaled answers (1-5) travel in EvaluationSubmitted; what the relation gave, what to improve and "
        "the quote stay in sessions. A quote is published (signed 'Mentor 2027') only with quote_consent: "
        "then it also travels to reporting sealed under the author's key (EvaluationQuoteConsented). "
        "409 already_answered, evaluation_not_open or cohort_closed; 403 for staff."
    ),
    responses=responses(403, 404, 409, 422),
)
async def answer_evaluation(
    pair_id: UUID,
    evaluation_id: UUID,
    body: AnswerIn,
    pool: Pool,
    policy: PolicyDep,
    vault: Vault,
    caller: Caller,
) -> SubmittedOut:
    event = await evaluations.answer_evaluation(
        pool, policy, vault, caller, pair_id, evaluation_id, body.answer()
    )
    return SubmittedOut.model_validate(event, from_attributes=True)


@router.delete(
    "/pairs/{pair_id}/evaluations/{evaluation_id}/quote-consent",
    summary="Withdraw my consent to publish my quote (the pair member who wrote it)",
    description=(
        "The quote is no longer published: it leaves staff's list and reporting (EvaluationQuoteWithdrawn) "
        "and stays only in the member's own answer. Allowed in a closed cohort too. withdrawn=false when "
        "there was no consent to withdraw. 403 for staff."
    ),
    responses=responses(403, 404, 422),
)
async def withdraw_quote_consent(
    pair_id: UUID, evaluation_id: UUID, pool: Pool, caller: Caller
) -> QuoteWithdrawnOut:
    withdrawn = await evaluations.withdraw_quote_consent(pool, caller, pair_id, evaluation_id)
    return QuoteWithdrawnOut(withdrawn=withdrawn)
