"""Who is calling and the runtime's pieces a route needs, as FastAPI dependencies; and the two hooks
the shared error handlers call: counting refusals, and hiding bad input to a pair the caller may not see."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from services.sessions.domain.errors import NotFound
from services.sessions.domain.model import Principal
from services.sessions.domain.rules import check_pair_access
from services.sessions.service_layer.access import principal_of
from services.sessions.service_layer.policy import Policy
from shared.errors import Refusal
from shared.http.auth import bearer_token, is_staff
from shared.http.deps import Pool, Vault

__all__ = ["Caller", "Pool", "PolicyDep", "Vault", "count_refusal", "hide_pair_from_strangers"]


# async, so that FastAPI calls it inline rather than through its thread pool
async def _policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


async def _caller(request: Request) -> Principal | None:
    return await principal_of(request.app.state.runtime.pool, bearer_token(request), is_staff(request))


PolicyDep = Annotated[Policy, Depends(_policy)]
Caller = Annotated[Principal | None, Depends(_caller)]


def count_refusal(request: Request, status: int, code: str) -> None:
    """Every refusal answered, by status and code (never a value sent)."""
    policy: Policy = request.app.state.policy
    policy.metrics.refused.labels(str(status), code).inc()


async def hide_pair_from_strangers(request: Request) -> Refusal | None:
    """Bad input to a pair's resource is reported only to someone who may see the pair; to anyone
    else the pair does not exist (404), just as with good input."""
    raw = request.path_params.get("pair_id")
    if raw is None or is_staff(request):
        return None
    try:
        pair_id = UUID(str(raw))
    except ValueError:
        return NotFound()
    principal = await principal_of(request.app.state.runtime.pool, bearer_token(request), False)
    try:
        check_pair_access(principal, pair_id)
    except NotFound as hidden:
        return hidden
    return None
