"""A partner company's pages: what its HR contact sees (its own people only)."""

from __future__ import annotations

from typing import Any

from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import intake


async def company_home(web: Web, visitor: Visitor) -> list[dict[str, Any]]:
    """The cohorts the company can register into."""
    return await intake.cohorts(web.apis.intake, visitor.credential)
