"""Staff: a cohort's pairs; end one (with a reason, "do not match again"); the members' personal links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import NotFound
from services.web.domain.forms import CRITERIA, end_body
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake, matching, sessions

Json = dict[str, Any]


async def pairs_page(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    cohort = await intake.cohort(web.apis.intake, visitor.credential, cohort_id)
    try:
        pairs = await matching.pairs(web.apis.matching, visitor.credential, cohort_id)
    except NotFound:
        pairs = []
    pairs.sort(key=lambda p: (p["ended_on"] is not None, str(p.get("mentee_name") or "").casefold()))
    return {"cohort": cohort, "pairs": pairs}


async def pair_page(web: Web, visitor: Visitor, cohort_id: UUID, pair_id: UUID) -> Json:
    """One pair of the cohort; a pair of another cohort (or none) is not found."""
    cohort = await intake.cohort(web.apis.intake, visitor.credential, cohort_id)
    pairs = await matching.pairs(web.apis.matching, visitor.credential, cohort_id)
    found = next((p for p in pairs if str(p["pair_id"]) == str(pair_id)), None)
    if found is None:
        raise NotFound("no such pair in this cohort", "pair_not_found")
    return {"cohort": cohort, "pair": found, "criteria": CRITERIA}


async def end_pair(
    web: Web, visitor: Visitor, cohort_id: UUID, pair_id: UUID, form: Mapping[str, Any]
) -> Json:
    await pair_page(web, visitor, cohort_id, pair_id)  # the pair must be this cohort's
    return await matching.end_pair(web.apis.matching, visitor.credential, pair_id, end_body(form))


async def issue_links(web: Web, visitor: Visitor, cohort_id: UUID, pair_id: UUID) -> Json:
    """Fresh personal tokens for both members (the old ones stop working); shown once."""
    page = await pair_page(web, visitor, cohort_id, pair_id)
    issued = await sessions.issue_tokens(web.apis.sessions, visitor.credential, pair_id)
    return {**page, "tokens": issued["tokens"]}
