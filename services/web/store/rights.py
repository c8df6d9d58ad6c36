"""The four services' data-export APIs, called with staff's token or the member's own pair token."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from services.web.store.apis import Apis

EXPORT_PATHS = {
    "intake": "/v1/participants/{}/export",
    "matching": "/v1/participants/{}/export",
    "sessions": "/v1/participants/{}/export",
    "reporting": "/api/participants/{}/export",
}


async def exports(apis: Apis, credential: str, participant_id: UUID) -> dict[str, Any]:
    """Each service's export of the person, asked at once; any refusal refuses the whole export."""
    names = list(EXPORT_PATHS)
    found = await asyncio.gather(
        *(
            getattr(apis, name).call("GET", EXPORT_PATHS[name].format(participant_id), credential)
            for name in names
        )
    )
    return dict(zip(names, found, strict=True))
