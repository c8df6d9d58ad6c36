"""Staff: a cohort's programme year: its timeline, closing it, opening evaluations, and what came of
them (reporting's figures and sessions' consented quotes, signed by role and year only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import NotFound
from services.web.domain.forms import filled
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake, year

Json = dict[str, Any]
TIMELINE_FIELDS = ("kickoff_on", "midpoint_on", "closing_on")
EVALUATION_FIELDS = ("kind", "opens_on", "closes_on")


async def year_page(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    cohort = await intake.cohort(web.apis.intake, visitor.credential, cohort_id)
    evaluations = await year.cohort_evaluations(web.apis.sessions, visitor.credential, cohort_id)
    quotes = await year.quotes(web.apis.sessions, visitor.credential, cohort_id)
    try:
        figures: Json | None = await year.staff_year(web.apis.reporting, visitor.credential, cohort_id)
    except NotFound:
        figures = None  # reporting has not heard of the cohort yet
    opened = {e["kind"] for e in evaluations}
    return {
        "cohort": cohort,
        "evaluations": evaluations,
        "kinds_left": [k for k in ("midpoint", "closing") if k not in opened],
        "figures": figures,
        "quotes": quotes,
    }


async def set_timeline(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> Json:
    body = {name: (form.get(name) or "").strip() or None for name in TIMELINE_FIELDS}
    return await intake.change_cohort(web.apis.intake, visitor.credential, cohort_id, body)


async def close_cohort(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    return await year.close_cohort(web.apis.intake, visitor.credential, cohort_id)


async def open_evaluation(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> Json:
    body = filled(form, EVALUATION_FIELDS)
    return await year.open_evaluation(web.apis.sessions, visitor.credential, cohort_id, body)
