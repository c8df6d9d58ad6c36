"""sessions' API as the web app uses it. Staff: the members' personal tokens (shown once)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi

Json = dict[str, Any]


async def issue_tokens(api: ServiceApi, token: str, pair_id: UUID) -> Json:
    issued: Json = await api.call("POST", f"/v1/pairs/{pair_id}/tokens", token, json={})
    return issued
