"""The pairs sessions knows: staff list them all; a pair's members and staff read one."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from services.sessions.entrypoints.http.deps import Caller, Pool
from services.sessions.entrypoints.http.schemas import PairMember, PairOut, PairSummary, TokenStatus
from services.sessions.service_layer import pairs
from shared.http.auth import require_staff
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["sessions"])


@router.get(
    "/pairs",
    summary="Every pair sessions knows (staff)",
    dependencies=[Depends(require_staff)],
    responses=responses(401, 422),
)
async def list_pairs(pool: Pool, cohort_id: UUID | None = None) -> list[PairSummary]:
    return [PairSummary.model_validate(row) for row in await pairs.list_pairs(pool, cohort_id)]


@router.get(
    "/pairs/{pair_id}",
    summary="One pair: its two members, their companies and HR contacts (staff also see ids and tokens)",
    description=(
        "Staff and the pair's own members only: to anyone else the pair does not exist (404). `members` "
        "names the mentee and the mentor, each with their company and its HR contact, from intake's "
        "events (null until they arrive). Contact details of the members themselves stay in intake."
    ),
    responses=responses(404, 422),
    response_model_exclude_unset=True,
)
async def get_pair(pair_id: UUID, pool: Pool, caller: Caller) -> PairOut:
    pair, role = await pairs.pair_view(pool, caller, pair_id)
    out = PairOut(
        pair_id=pair.pair_id,
        cohort_id=pair.cohort_id,
        matched_on=pair.matched_on,
        ended_on=pair.ended_on,
        your_role=role,
        members=[PairMember.model_validate(m) for m in await pairs.pair_card(pool, pair_id)],
    )
    if role != "staff":
        return out
    record = await pairs.pair_record(pool, pair_id)
    return out.model_copy(
        update={
            "mentee_id": record.members.get("mentee"),
            "mentor_id": record.members.get("mentor"),
            "tokens": [TokenStatus.model_validate(t) for t in record.tokens],
        }
    )
