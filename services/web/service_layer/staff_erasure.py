"""Staff: erase a person from their participant page, after a confirmation naming them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import Invalid, Problem
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.service_layer.rights import staff_person
from services.web.store import intake

Json = dict[str, Any]


async def erasure_page(web: Web, visitor: Visitor, participant_id: UUID) -> Json:
    """The person to erase, with their company and cohort (a 404 for nobody)."""
    return await staff_person(web, visitor, participant_id)


async def erase(web: Web, visitor: Visitor, participant_id: UUID, form: Mapping[str, Any]) -> Json:
    """Erase once staff ticked the confirmation."""
    if form.get("confirm") != "yes":
        raise Invalid([Problem(("body", "confirm"), "confirm the erasure", "erase_confirm_missing")])
    return await intake.erase_participant(web.apis.intake, visitor.credential, participant_id)
