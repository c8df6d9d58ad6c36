"""Who a token belongs to: a member of one pair, or staff."""

from __future__ import annotations

from fastapi import APIRouter

from services.sessions.entrypoints.http.deps import Caller, Pool
from services.sessions.entrypoints.http.schemas import Me
from services.sessions.service_layer import pairs
from shared.errors import Unauthorized
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["sessions"])


@router.get("/me", summary="Who this token belongs to (a member's pair, or staff)", responses=responses(401))
async def me(pool: Pool, caller: Caller) -> Me:
    if caller is None:
        raise Unauthorized("a member's token or staff credentials required")
    if caller.is_staff or caller.pair_id is None:
        return Me(role="staff")
    pair, role = await pairs.pair_view(pool, caller, caller.pair_id)
    members = (await pairs.pair_record(pool, pair.pair_id)).members
    return Me(
        role=role,
        pair_id=pair.pair_id,
        participant_id=members.get(role),
        cohort_id=pair.cohort_id,
        matched_on=pair.matched_on,
        ended_on=pair.ended_on,
    )
