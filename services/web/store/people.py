"""intake's API as a partner company uses it for its own people: register, read, change, withdraw,
import; and its cohorts and the closed lists of the form. Always with the company's own key."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi


async def vocabulary(api: ServiceApi) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", "/v1/vocabulary", None)
    return found


async def page_of_people(
    api: ServiceApi, key: str, filters: dict[str, str], cursor: str | None, limit: int = 100
) -> dict[str, Any]:
    found: dict[str, Any] = await api.call(
        "GET", "/v1/participants", key, params={**filters, "cursor": cursor, "limit": limit}
    )
    return found


async def person(api: ServiceApi, key: str, participant_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", f"/v1/participants/{participant_id}", key)
    return found


async def register(api: ServiceApi, key: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    found: dict[str, Any] = await api.call("POST", "/v1/participants", key, json=body, headers=headers)
    return found


async def change(api: ServiceApi, key: str, participant_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("PATCH", f"/v1/participants/{participant_id}", key, json=body)
    return found


async def withdraw(api: ServiceApi, key: str, participant_id: UUID, reason: str, note: str) -> dict[str, Any]:
    body = {"reason": reason, "note": note}
    found: dict[str, Any] = await api.call(
        "POST", f"/v1/participants/{participant_id}/withdrawal", key, json=body
    )
    return found


async def import_file(
    api: ServiceApi, key: str, cohort_id: UUID, data: bytes, content_type: str, dry_run: bool
) -> dict[str, Any]:
    found: dict[str, Any] = await api.call(
        "POST",
        f"/v1/cohorts/{cohort_id}/imports",
        key,
        content=data,
        params={"dry_run": "true" if dry_run else None},
        headers={"Content-Type": content_type},
    )
    return found
