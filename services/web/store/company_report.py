"""reporting's API as a partner company reads it: its cohorts and its own (aggregate) report."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi


async def cohorts(api: ServiceApi, key: str) -> list[dict[str, Any]]:
    return list(await api.call("GET", "/api/cohorts", key))


async def report(api: ServiceApi, key: str, cohort_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", f"/api/company/cohorts/{cohort_id}", key)
    return found
