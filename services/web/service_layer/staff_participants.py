"""Staff: every participant of the programme, filtered by cohort, company, role, status and name."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.forms import filled
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake

Json = dict[str, Any]
ROLES = ("mentee", "mentor")
STATUSES = ("active", "withdrawn", "erased")


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


async def participants(web: Web, visitor: Visitor, query: Mapping[str, Any]) -> Json:
    """The participants the filters select (each company's, merged), with the choices for the filters."""
    companies, cohorts = await asyncio.gather(
        intake.companies(web.apis.intake, visitor.credential),
        intake.cohorts(web.apis.intake, visitor.credential),
    )
    chosen = filled(query, ("cohort_id", "company_id", "role", "status", "q"))
    filters = {k: v for k, v in chosen.items() if k in ("cohort_id", "role", "status")}
    if "cohort_id" in filters and _uuid(filters["cohort_id"]) is None:
        filters.pop("cohort_id")
    filters = {k: v for k, v in filters.items() if k != "role" or v in ROLES}
    filters = {k: v for k, v in filters.items() if k != "status" or v in STATUSES}
    wanted = _uuid(chosen.get("company_id"))
    selected = [c for c in companies if wanted is None or str(c["company_id"]) == str(wanted)]
    pages = await asyncio.gather(
        *(
            intake.company_participants(
                web.apis.intake, visitor.credential, UUID(str(c["company_id"])), filters
            )
            for c in selected
        )
    )
    people = [p for page in pages for p in page]
    needle = str(chosen.get("q", "")).casefold()
    if needle:
        people = [
            p for p in people if needle in str(p["name"]).casefold() or needle in str(p["email"]).casefold()
        ]
    people.sort(key=lambda p: str(p["name"]).casefold())
    return {
        "people": people,
        "company_options": [
            (str(c["company_id"]), c["name"])
            for c in sorted(companies, key=lambda c: str(c["name"]).casefold())
        ],
        "cohort_options": [(str(c["cohort_id"]), c["name"]) for c in cohorts],
        "company_names": {str(c["company_id"]): c["name"] for c in companies},
        "cohort_names": {str(c["cohort_id"]): c["name"] for c in cohorts},
        "roles": ROLES,
        "statuses": STATUSES,
    }
