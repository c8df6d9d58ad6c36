"""Reminders: staff run the rules now and see what was sent and who opted out; a member opts out
(or in again) with the signed token of a mail's link or the pair page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.intake.entrypoints.http.auth import STAFF
from services.intake.entrypoints.http.deps import Pool, Settings
from services.intake.entrypoints.http.schemas import (
    OptOutOut,
    OptOutToken,
    ReminderOut,
    ReminderPreference,
    ReminderRun,
    ReminderRunOut,
)
from services.intake.service_layer import reminders
from shared.http.errors import responses

router = APIRouter(prefix="/v1/reminders", tags=["reminders"])


@router.post(
    "/runs",
    response_model=ReminderRunOut,
    dependencies=STAFF,
    summary="Run the reminder rules now and send the queue (staff)",
    description="What the periodic task does every MENTORNET_REMINDERS_EVERY_S; each reminder is sent once.",
    responses=responses(401, 422),
)
async def run(pool: Pool, settings: Settings, body: ReminderRun | None = None) -> dict[str, Any]:
    return await reminders.run_now(pool, settings, body.today if body else None)


@router.get(
    "",
    response_model=list[ReminderOut],
    dependencies=STAFF,
    summary="Reminders decided and sent, newest first (staff)",
    responses=responses(401, 422),
)
async def list_reminders(
    pool: Pool, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[dict[str, Any]]:
    return await reminders.list_reminders(pool, limit)


@router.get(
    "/opt-outs",
    response_model=list[OptOutOut],
    dependencies=STAFF,
    summary="Members who opted out of reminders (staff)",
    responses=responses(401),
)
async def list_opt_outs(pool: Pool) -> list[dict[str, Any]]:
    return await reminders.list_opt_outs(pool)


@router.post(
    "/opt-out",
    response_model=ReminderPreference,
    summary="Opt out of reminders (the member, with their signed token)",
    description="The token is in every reminder's link and behind the pair page's button.",
    responses=responses(404, 422),
)
async def opt_out(body: OptOutToken, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await reminders.opt_out(pool, settings, body.token, body.via)


@router.post(
    "/opt-in",
    response_model=ReminderPreference,
    summary="Reminders again (the member, with their signed token)",
    responses=responses(422),
)
async def opt_in(body: OptOutToken, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await reminders.opt_in(pool, settings, body.token)


@router.post(
    "/preference",
    response_model=ReminderPreference,
    summary="Whether the member opted out (the member, with their signed token)",
    responses=responses(422),
)
async def preference(body: OptOutToken, pool: Pool, settings: Settings) -> dict[str, Any]:
    return await reminders.preference(pool, settings, body.token)
