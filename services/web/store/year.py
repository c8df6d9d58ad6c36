"""The programme year through the services' APIs: intake's timeline and closing, sessions' agreements
and evaluations (a member with their own token, staff with theirs), reporting's year figures."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi

Json = dict[str, Any]


async def close_cohort(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    closed: Json = await api.call("POST", f"/v1/cohorts/{cohort_id}/closure", token)
    return closed


async def open_evaluation(api: ServiceApi, token: str, cohort_id: UUID, body: Json) -> Json:
    opened: Json = await api.call("POST", f"/v1/cohorts/{cohort_id}/evaluations", token, json=body)
    return opened


async def cohort_evaluations(api: ServiceApi, token: str, cohort_id: UUID) -> list[Json]:
    return list(await api.call("GET", f"/v1/cohorts/{cohort_id}/evaluations", token))


async def quotes(api: ServiceApi, token: str, cohort_id: UUID) -> list[Json]:
    return list(await api.call("GET", f"/v1/cohorts/{cohort_id}/quotes", token))


async def staff_year(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/api/programme/cohorts/{cohort_id}/year", token)
    return found


async def agreement(api: ServiceApi, token: str, pair_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/v1/pairs/{pair_id}/agreement", token)
    return found


async def record_agreement(api: ServiceApi, token: str, pair_id: UUID, body: Json) -> Json:
    found: Json = await api.call("PUT", f"/v1/pairs/{pair_id}/agreement", token, json=body)
    return found


async def confirm_agreement(api: ServiceApi, token: str, pair_id: UUID) -> Json:
    found: Json = await api.call("POST", f"/v1/pairs/{pair_id}/agreement/confirmation", token)
    return found


async def pair_evaluations(api: ServiceApi, token: str, pair_id: UUID) -> list[Json]:
    return list(await api.call("GET", f"/v1/pairs/{pair_id}/evaluations", token))


async def withdraw_quote(api: ServiceApi, token: str, pair_id: UUID, evaluation_id: UUID) -> Json:
    found: Json = await api.call(
        "DELETE", f"/v1/pairs/{pair_id}/evaluations/{evaluation_id}/quote-consent", token
    )
    return found


async def answer(api: ServiceApi, token: str, pair_id: UUID, evaluation_id: UUID, body: Json) -> Json:
    found: Json = await api.call(
        "POST", f"/v1/pairs/{pair_id}/evaluations/{evaluation_id}/answer", token, json=body
    )
    return found
