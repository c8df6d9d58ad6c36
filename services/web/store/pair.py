"""sessions' API as a pair's member uses it, always with the member's own token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi


async def me(api: ServiceApi, token: str) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", "/v1/me", token)
    return found


async def pair(api: ServiceApi, token: str, pair_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", f"/v1/pairs/{pair_id}", token)
    return found


async def sessions(api: ServiceApi, token: str, pair_id: UUID) -> list[dict[str, Any]]:
    return list(await api.call("GET", f"/v1/pairs/{pair_id}/sessions", token))


async def session(api: ServiceApi, token: str, pair_id: UUID, session_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("GET", f"/v1/pairs/{pair_id}/sessions/{session_id}", token)
    return found


async def log(api: ServiceApi, token: str, pair_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = await api.call("POST", f"/v1/pairs/{pair_id}/sessions", token, json=body)
    return found


async def correct(
    api: ServiceApi, token: str, pair_id: UUID, session_id: UUID, body: dict[str, Any]
) -> dict[str, Any]:
    found: dict[str, Any] = await api.call(
        "PUT", f"/v1/pairs/{pair_id}/sessions/{session_id}", token, json=body
    )
    return found


async def retract(
    api: ServiceApi, token: str, pair_id: UUID, session_id: UUID, reason: str
) -> dict[str, Any]:
    found: dict[str, Any] = await api.call(
        "POST", f"/v1/pairs/{pair_id}/sessions/{session_id}/retraction", token, json={"reason": reason}
    )
    return found
