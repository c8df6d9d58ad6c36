"""Staff: a closed cohort's retention, and anonymising it in one step once the period is over (every
participant erased by intake; the cohort's figures stay)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import Invalid, Problem
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake

Json = dict[str, Any]


async def retention_page(web: Web, visitor: Visitor, cohort_id: UUID) -> Json:
    cohort, retention = await asyncio.gather(
        intake.cohort(web.apis.intake, visitor.credential, cohort_id),
        intake.retention(web.apis.intake, visitor.credential, cohort_id),
    )
    return {"cohort": cohort, "retention": retention}


async def anonymise(web: Web, visitor: Visitor, cohort_id: UUID, form: Mapping[str, Any]) -> Json:
    """Once staff ticked the confirmation; intake refuses (409) before the period is over."""
    if form.get("confirm") != "yes":
        raise Invalid(
            [Problem(("body", "confirm"), "confirm the anonymisation", "anonymise_confirm_missing")]
        )
    return await intake.anonymise(web.apis.intake, visitor.credential, cohort_id)
