"""A pair's sessions: its members and staff log, correct and retract them; notes only for members."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.sessions.domain.decisions import Correction, Entry
from services.sessions.entrypoints.http.deps import Caller, PolicyDep, Pool
from services.sessions.entrypoints.http.schemas import (
    CorrectionIn,
    RetractionIn,
    SessionHistoryOut,
    SessionIn,
    SessionOut,
    VersionOut,
)
from services.sessions.service_layer import sessions
from shared.http.errors import responses

router = APIRouter(prefix="/v1", tags=["sessions"])

READ = responses(404, 422)
WRITE = responses(404, 409, 422)
"""404: no such pair, or not the caller's (staff and the pair's own members only); 409 with
Retry-After when retrying will help; 422 names each bad field, never echoing a value."""


@router.post(
    "/pairs/{pair_id}/sessions",
    status_code=201,
    summary="Log a session the pair held (its mentor, its mentee, or staff)",
    responses=WRITE,
    response_model_exclude_unset=True,
)
async def log_session(
    pair_id: UUID, body: SessionIn, response: Response, pool: Pool, policy: PolicyDep, caller: Caller
) -> SessionOut:
    entry = Entry(details=body.details(policy.zone), notes=body.notes, by="staff")
    answer = await sessions.log_session(pool, policy, caller, pair_id, entry)
    response.headers["Location"] = f"/v1/pairs/{pair_id}/sessions/{answer.session.session_id}"
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return SessionOut.of(answer, policy.zone)


@router.get(
    "/pairs/{pair_id}/sessions",
    summary="The pair's sessions; notes only for its members",
    responses=READ,
    response_model_exclude_unset=True,
)
async def list_sessions(
    pair_id: UUID,
    pool: Pool,
    policy: PolicyDep,
    caller: Caller,
    include_retracted: Annotated[bool, Query()] = False,
) -> list[SessionOut]:
    answers = await sessions.sessions_of_pair(pool, caller, pair_id, include_retracted)
    return [SessionOut.of(a, policy.zone) for a in answers]


@router.get(
    "/pairs/{pair_id}/sessions/{session_id}",
    summary="One session with its whole history; notes only for the pair's members",
    responses=READ,
    response_model_exclude_unset=True,
)
async def get_session(
    pair_id: UUID, session_id: UUID, pool: Pool, policy: PolicyDep, caller: Caller
) -> SessionHistoryOut:
    found = await sessions.session_history(pool, caller, pair_id, session_id)
    return SessionHistoryOut(
        session=SessionOut.of(found.current, policy.zone),
        versions=[
            VersionOut.of(v, policy.zone, found.notes_by_version.get(v.version), found.show_notes)
            for v in found.versions
        ],
    )


@router.put(
    "/pairs/{pair_id}/sessions/{session_id}",
    summary="Correct a session: the whole new metadata, recorded as a new version",
    responses=WRITE,
    response_model_exclude_unset=True,
)
async def correct_session(
    pair_id: UUID, session_id: UUID, body: CorrectionIn, pool: Pool, policy: PolicyDep, caller: Caller
) -> SessionOut:
    correction = Correction(
        details=body.details(policy.zone),
        rating_sent="rating" in body.model_fields_set,
        notes_sent="notes" in body.model_fields_set,
        notes=body.notes,
        by="staff",
        base_version=body.base_version,
    )
    answer = await sessions.correct_session(pool, policy, caller, pair_id, session_id, correction)
    return SessionOut.of(answer, policy.zone)


@router.post(
    "/pairs/{pair_id}/sessions/{session_id}/retraction",
    summary="Retract a session (it no longer counts); its history stays",
    responses=WRITE,
    response_model_exclude_unset=True,
)
async def retract_session(
    pair_id: UUID, session_id: UUID, body: RetractionIn, pool: Pool, policy: PolicyDep, caller: Caller
) -> SessionOut:
    answer = await sessions.retract_session(pool, policy, caller, pair_id, session_id, body.reason)
    return SessionOut.of(answer, policy.zone)
