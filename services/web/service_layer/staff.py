"""The coordinator's start page, and the way to reporting's dashboards."""

from __future__ import annotations

from uuid import UUID

from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import dashboards


def staff_home() -> None:
    """The start page links to each area; nothing to load."""


async def dashboard_link(web: Web, visitor: Visitor, cohort_id: UUID | None) -> str:
    """reporting's dashboard (a cohort's, when given) with a one-time code for the visitor's token:
    the browser arrives signed in, and no secret is in the address."""
    code = await dashboards.sign_in_code(web.apis.reporting, visitor.credential)
    path = f"/dashboard/cohorts/{cohort_id}" if cohort_id else "/dashboard"
    return f"{web.dashboard_url}{path}?code={code}"
