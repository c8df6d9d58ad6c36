"""What an operator asks every service the same way: its status, a rebuild of its projections from
the log, and the AsyncAPI document of every topic and event (shared/asyncapi.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from shared import asyncapi
from shared.http.errors import responses
from shared.messaging.rebuild import RebuildResult
from shared.runtime import ServiceRuntime

STATUS_PATH = "/ops/status"


class ServiceStatus(BaseModel):
    """The facts `mentornet status` shows that only the service itself knows (its own database)."""

    service: str
    consumer_group: str | None  # None: the service consumes no topic
    consumes: list[str]  # the topics it reads, prefixed as on the broker
    outbox_pending: int  # events written and not yet published
    parked_waiting: int  # events of a newer schema version waiting for an upgrade and a replay
    rebuild_path: str  # POST here (staff) to rebuild its projections from the log
    publishing: bool  # this instance's relay holds the lock (never, where it runs no relay: the web app)
    assigned: list[str]  # the partitions this instance consumes now, "topic:partition"


def operations_router(runtime: ServiceRuntime, *, api_prefix: str, staff: Callable[..., Any]) -> APIRouter:
    router = APIRouter(tags=["operations"])
    rebuild_path = f"{api_prefix}/rebuild"

    @router.get(
        STATUS_PATH, summary="Outbox pending, parked events waiting, the consumer group and its topics"
    )
    async def status() -> ServiceStatus:
        settings = runtime.settings
        consumption = runtime.consumption
        async with runtime.pool.acquire(timeout=2) as conn:
            parked = int(await conn.fetchval("SELECT count(*) FROM parked_events WHERE resolved_at IS NULL"))
        return ServiceStatus(
            service=settings.service_name,
            consumer_group=runtime.group_id if consumption else None,
            consumes=[settings.topic(t.base_name) for t in consumption.topics] if consumption else [],
            outbox_pending=await runtime.outbox_pending(),
            parked_waiting=parked,
            rebuild_path=rebuild_path,
            publishing=runtime.relay is not None and runtime.relay.lock_pid is not None,
            assigned=runtime.consumer.assignment() if runtime.consumer is not None else [],
        )

    @router.post(
        rebuild_path,
        summary="Staff: empty the projections and replay every consumed topic from the beginning",
        responses=responses(401, 403),
        response_model_exclude_none=True,
        dependencies=[Depends(staff)],
    )
    async def rebuild() -> RebuildResult:
        return await runtime.rebuild()

    @router.get("/asyncapi.json", summary="AsyncAPI 3.0: every topic and every event on it")
    async def asyncapi_json() -> dict[str, Any]:
        return asyncapi.document()

    @router.get("/asyncapi", summary="The AsyncAPI document as a page", response_class=HTMLResponse)
    async def asyncapi_page() -> HTMLResponse:
        return HTMLResponse(asyncapi.render_html(asyncapi.document()))

    return router
