"""Staff: cohorts, their intake window and matching weights; a cohort's page shows where matching is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import NotFound
from services.web.domain.forms import CRITERIA, filled, settings_body
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake, matching

Json = dict[str, Any]
COHORT_FIELDS = ("name", "intake_opens_on", "intake_closes_on")


async def list_cohorts(web: Web, visitor: Visitor) -> list[Json]:
    found = await intake.cohorts(web.apis.intake, visitor.credential)
    return sorted(found, key=lambda c: str(c["intake_opens_on"]), reverse=True)


async def create_cohort(web: Web, visitor: Visitor, form: Mapping[str, Any]) -> Json:
    return await intake.create_cohort(web.apis.intake, visitor.credential, filled(form, COHORT_FIELDS))


async def cohort_page(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    """The cohort (intake), its pool and settings (matching: None until matching has heard of it), its runs."""
    cohort = await intake.cohort(web.apis.intake, visitor.credential, cohort_id)
    try:
        pool = await matching.cohort(web.apis.matching, visitor.credential, cohort_id)
        runs = await matching.runs(web.apis.matching, visitor.credential, cohort_id)
    except NotFound:
        pool, runs = None, []
    return {"cohort": cohort, "pool": pool, "runs": runs, "criteria": CRITERIA}


async def change_window(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> Json:
    body = filled(form, ("intake_opens_on", "intake_closes_on"))
    return await intake.change_cohort(web.apis.intake, visitor.credential, cohort_id, body)


async def save_settings(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> Json:
    return await matching.put_settings(web.apis.matching, visitor.credential, cohort_id, settings_body(form))
