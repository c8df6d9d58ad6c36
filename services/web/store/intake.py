"""intake's API as the web app uses it: companies, API keys, cohorts, participants."""

from __future__ import annotations

from typing import Any

from services.web.domain.errors import Unauthorized
from services.web.store.api import ServiceApi


async def staff_token_works(api: ServiceApi, token: str) -> bool:
    try:
        await api.call("GET", "/v1/companies", token)
    except Unauthorized:
        return False
    return True


async def company_key_works(api: ServiceApi, key: str) -> bool:
    try:
        await api.call("GET", "/v1/cohorts", key)
    except Unauthorized:
        return False
    return True


async def companies(api: ServiceApi, token: str) -> list[dict[str, Any]]:
    return list(await api.call("GET", "/v1/companies", token))


async def cohorts(api: ServiceApi, credential: str) -> list[dict[str, Any]]:
    return list(await api.call("GET", "/v1/cohorts", credential))
