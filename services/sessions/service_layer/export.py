"""A participant's data export (the right of access): what sessions holds about one person.

Notes stay with the pair: the person's own export carries the notes they wrote themself (never the
other member's); an export staff request says how many notes the person wrote, without their text. The
same for the pair's free text that staff never read: the agreement's terms and the evaluation answers'
texts are in the person's own export only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from services.sessions.domain.errors import NotFound
from services.sessions.domain.model import Principal
from services.sessions.store import export as store
from shared.data_export import export_answer
from shared.errors import Unauthorized

WITHHELD = "(withheld: the person's own export holds it)"

HOLDS = (
    "sessions keeps the person's display name, the pairs they are in (when matched and ended), when their "
    "personal link was issued, the sessions those pairs logged with every version, the private notes "
    "written with them, the pair's agreement and the person's evaluation answers. Notes are the pair's: "
    "an export carries only the notes the person wrote, and only when the person asks for it themself "
    "(staff see how many there are); the agreement's terms and evaluation texts likewise."
)


def _without_free_text(data: dict[str, Any]) -> None:
    """What staff may see: how many notes, whether texts exist; never what the pair wrote."""
    for pair in data["pairs"]:
        pair["own_notes"] = {"count": sum(1 for n in pair.pop("own_notes") if n["notes"])}
        if pair["agreement"] is not None:
            pair["agreement"]["terms"] = WITHHELD
    for answer in data["evaluation_answers"]:
        for field in ("gave", "improve", "quote"):
            if answer.get(field):
                answer[field] = WITHHELD


async def export_participant(
    pool: asyncpg.Pool, principal: Principal | None, participant_id: UUID
) -> dict[str, Any]:
    """Staff, or the member whose own data this is; another member is told it does not exist."""
    if principal is None:
        raise Unauthorized("staff credentials or the member's own personal token required")
    async with pool.acquire() as conn:
        if not principal.is_staff:
            assert principal.pair_id is not None
            if await store.member_of_pair(conn, principal.pair_id, principal.kind) != participant_id:
                raise NotFound
        data = await store.participant_rows(conn, participant_id)
    by_staff = principal.is_staff
    if by_staff:
        _without_free_text(data)
    return export_answer("sessions", participant_id, by_staff, HOLDS, data)
