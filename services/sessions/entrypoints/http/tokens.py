"""Staff hand the pair's members their personal tokens: shown once, issuing again revokes the old."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body

from services.sessions.entrypoints.http.deps import Caller, PolicyDep, Pool
from services.sessions.entrypoints.http.schemas import IssuedToken, IssuedTokens, TokenRequest
from services.sessions.service_layer import tokens
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["sessions"])


@router.post(
    "/pairs/{pair_id}/tokens",
    status_code=201,
    summary="Issue the members' personal tokens (staff); shown once, issuing again revokes the old",
    description="A member cannot issue tokens (403). A pair matching has not yet announced is a 409 "
    "with Retry-After for a while, then a 404.",
    responses=responses(403, 404, 409, 422),
)
async def issue_tokens(
    pair_id: UUID,
    pool: Pool,
    policy: PolicyDep,
    caller: Caller,
    body: Annotated[TokenRequest | None, Body()] = None,
) -> IssuedTokens:
    roles = tuple((body or TokenRequest()).roles)
    issued = await tokens.issue_tokens(pool, policy, caller, pair_id, roles)
    return IssuedTokens(
        pair_id=pair_id,
        tokens=[IssuedToken(role=r, token=t, generation=g, issued_at=at) for r, t, g, at in issued],
    )
