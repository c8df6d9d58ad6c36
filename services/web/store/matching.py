"""matching's API as the web app uses it: a cohort's pool and settings, runs, pins, exclusions, pairs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.store.api import ServiceApi

Json = dict[str, Any]


async def cohort(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/v1/cohorts/{cohort_id}", token)
    return found


async def put_settings(api: ServiceApi, token: str, cohort_id: UUID, body: Json) -> Json:
    saved: Json = await api.call("PUT", f"/v1/cohorts/{cohort_id}/settings", token, json=body)
    return saved


async def start_run(api: ServiceApi, token: str, cohort_id: UUID) -> Json:
    run: Json = await api.call("POST", f"/v1/cohorts/{cohort_id}/runs", token)
    return run


async def runs(api: ServiceApi, token: str, cohort_id: UUID) -> list[Json]:
    return list(await api.call("GET", f"/v1/cohorts/{cohort_id}/runs", token))


async def run(api: ServiceApi, token: str, run_id: UUID) -> Json:
    found: Json = await api.call("GET", f"/v1/runs/{run_id}", token)
    return found


async def approve(api: ServiceApi, token: str, run_id: UUID) -> Json:
    approved: Json = await api.call("POST", f"/v1/runs/{run_id}/approve", token)
    return approved


async def pin(api: ServiceApi, token: str, cohort_id: UUID, body: Json) -> None:
    await api.call("POST", f"/v1/cohorts/{cohort_id}/pins", token, json=body)


async def unpin(api: ServiceApi, token: str, cohort_id: UUID, mentee_id: UUID) -> None:
    await api.call("DELETE", f"/v1/cohorts/{cohort_id}/pins/{mentee_id}", token)


async def exclude(api: ServiceApi, token: str, cohort_id: UUID, body: Json) -> None:
    await api.call("POST", f"/v1/cohorts/{cohort_id}/exclusions", token, json=body)


async def unexclude(api: ServiceApi, token: str, cohort_id: UUID, mentee_id: UUID, mentor_id: UUID) -> None:
    await api.call("DELETE", f"/v1/cohorts/{cohort_id}/exclusions/{mentee_id}/{mentor_id}", token)


async def pairs(api: ServiceApi, token: str, cohort_id: UUID, active_only: bool = False) -> list[Json]:
    params = {"active_only": "true"} if active_only else None
    return list(await api.call("GET", f"/v1/cohorts/{cohort_id}/pairs", token, params=params))


async def end_pair(api: ServiceApi, token: str, pair_id: UUID, body: Json) -> Json:
    ended: Json = await api.call("POST", f"/v1/pairs/{pair_id}/end", token, json=body)
    return ended
