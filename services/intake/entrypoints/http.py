"""Intake's HTTP API."""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import APIRouter, Request
from pydantic import BaseModel

from services.intake import store
from shared.events import ParticipantProfile, ParticipantRegistered
from shared.messaging import outbox


class Registration(BaseModel):
    company_id: UUID
    cohort_id: UUID
    role: str
    display_name: str
    profile: ParticipantProfile


router = APIRouter(prefix="/v1")


@router.post("/participants", status_code=201)
async def register(body: Registration, request: Request) -> dict[str, str]:
    event = ParticipantRegistered(participant_id=uuid4(), producer="intake", **body.model_dump())
    pool = request.app.state.runtime.pool
    async with pool.acquire() as conn, conn.transaction():
        await store.add_participant(conn, event)
        await outbox.append(conn, [event])
    return {"participant_id": str(event.participant_id)}
