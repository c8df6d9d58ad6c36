"""Sessions' HTTP API: thin handlers over the use cases in services.sessions.service."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response, status

from services.sessions import service
from services.sessions.domain.decisions import Correction, Entry
from services.sessions.domain.model import Principal, SessionDetails, Version
from services.sessions.entrypoints.schemas import (
    CorrectionIn,
    IssuedToken,
    IssuedTokens,
    Me,
    PairOut,
    PairSummary,
    RetractionIn,
    SessionHistoryOut,
    SessionIn,
    SessionOut,
    TokenRequest,
    TokenStatus,
    VersionOut,
)
from services.sessions.service import Answer, Policy
from shared.http.auth import bearer_token, is_staff, require_staff

router = APIRouter(prefix="/v1", tags=["sessions"])

_PAIR_RESOURCE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such pair, or not yours: staff and the pair's own members only"},
}
_WRITE: dict[int | str, dict[str, Any]] = {
    **_PAIR_RESOURCE,
    409: {"description": "Conflicts with what is stored; with Retry-After when retrying will help"},
    422: {"description": "Bad input: each bad field and why (values are never echoed)"},
}


async def _caller(request: Request) -> Principal | None:
    return await service.principal_of(_pool(request), bearer_token(request), is_staff(request))


Caller = Annotated[Principal | None, Depends(_caller)]


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.runtime.pool
    return pool


def _policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


def _local_time(details: SessionDetails, zone: ZoneInfo) -> str:
    return details.started_at.astimezone(zone).strftime("%H:%M")


def _details_out(details: SessionDetails, zone: ZoneInfo) -> dict[str, Any]:
    """The metadata fields every session answer shows, in the programme's time zone."""
    return {
        "held_on": details.held_on,
        "start_time": _local_time(details, zone),
        "started_at": details.started_at.astimezone(zone),
        "duration_minutes": details.duration_minutes,
        "format": details.format,
        "tools": list(details.tools),
        "rating": details.rating,
    }


def _session_out(answer: Answer, zone: ZoneInfo) -> SessionOut:
    s = answer.session
    out = SessionOut(
        session_id=s.session_id,
        pair_id=s.pair_id,
        cohort_id=s.cohort_id,
        version=s.version,
        logged_by=s.logged_by,
        retracted=s.retracted,
        **_details_out(s.details, zone),
    )
    return out.model_copy(update={"notes": answer.notes}) if answer.show_notes else out


def _version_out(v: Version, zone: ZoneInfo, notes: str | None, show_notes: bool) -> VersionOut:
    out = VersionOut(
        version=v.version,
        kind=v.kind,
        recorded_by=v.recorded_by,
        recorded_at=v.recorded_at,
        retraction_reason=v.retraction_reason,
        **_details_out(v.details, zone),
    )
    return out.model_copy(update={"notes": notes}) if show_notes else out


@router.get("/me", summary="Who this token belongs to (a member's pair, or staff)")
async def me(request: Request, caller: Caller) -> Me:
    if caller is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a member's token or staff credentials required")
    if caller.is_staff or caller.pair_id is None:
        return Me(role="staff")
    pair, role = await service.pair_view(_pool(request), caller, caller.pair_id)
    return Me(
        role=role,
        pair_id=pair.pair_id,
        cohort_id=pair.cohort_id,
        matched_on=pair.matched_on,
        ended_on=pair.ended_on,
    )


@router.get("/pairs", summary="Every pair sessions knows (staff)", dependencies=[Depends(require_staff)])
async def list_pairs(request: Request, cohort_id: UUID | None = None) -> list[PairSummary]:
    return [PairSummary.model_validate(row) for row in await service.list_pairs(_pool(request), cohort_id)]


@router.get(
    "/pairs/{pair_id}",
    summary="One pair (staff also see its members' ids and token status)",
    responses=_PAIR_RESOURCE,
    response_model_exclude_unset=True,
)
async def get_pair(pair_id: UUID, request: Request, caller: Caller) -> PairOut:
    pair, role = await service.pair_view(_pool(request), caller, pair_id)
    out = PairOut(
        pair_id=pair.pair_id,
        cohort_id=pair.cohort_id,
        matched_on=pair.matched_on,
        ended_on=pair.ended_on,
        your_role=role,
    )
    if role != "staff":
        return out
    record = await service.pair_record(_pool(request), pair_id)
    return out.model_copy(
        update={
            "mentee_id": record.members.get("mentee"),
            "mentor_id": record.members.get("mentor"),
            "tokens": [TokenStatus.model_validate(t) for t in record.tokens],
        }
    )


@router.post(
    "/pairs/{pair_id}/tokens",
    status_code=201,
    summary="Issue the members' personal tokens (staff); shown once, issuing again revokes the old",
    responses={**_WRITE, 403: {"description": "A member cannot issue tokens"}},
)
async def issue_tokens(
    pair_id: UUID, request: Request, caller: Caller, body: Annotated[TokenRequest | None, Body()] = None
) -> IssuedTokens:
    roles = tuple((body or TokenRequest()).roles)
    issued = await service.issue_tokens(_pool(request), _policy(request), caller, pair_id, roles)
    return IssuedTokens(
        pair_id=pair_id,
        tokens=[IssuedToken(role=r, token=t, generation=g, issued_at=at) for r, t, g, at in issued],
    )


@router.post(
    "/pairs/{pair_id}/sessions",
    status_code=201,
    summary="Log a session the pair held (its mentor, its mentee, or staff)",
    responses=_WRITE,
    response_model_exclude_unset=True,
)
async def log_session(
    pair_id: UUID, body: SessionIn, request: Request, response: Response, caller: Caller
) -> SessionOut:
    policy = _policy(request)
    entry = Entry(details=body.details(policy.zone), notes=body.notes, by="staff")
    answer = await service.log_session(_pool(request), policy, caller, pair_id, entry)
    response.headers["Location"] = f"/v1/pairs/{pair_id}/sessions/{answer.session.session_id}"
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return _session_out(answer, policy.zone)


@router.get(
    "/pairs/{pair_id}/sessions",
    summary="The pair's sessions; notes only for its members",
    responses=_PAIR_RESOURCE,
    response_model_exclude_unset=True,
)
async def list_sessions(
    pair_id: UUID, request: Request, caller: Caller, include_retracted: Annotated[bool, Query()] = False
) -> list[SessionOut]:
    answers = await service.sessions_of_pair(_pool(request), caller, pair_id, include_retracted)
    zone = _policy(request).zone
    return [_session_out(a, zone) for a in answers]


@router.get(
    "/pairs/{pair_id}/sessions/{session_id}",
    summary="One session with its whole history; notes only for the pair's members",
    responses=_PAIR_RESOURCE,
    response_model_exclude_unset=True,
)
async def get_session(pair_id: UUID, session_id: UUID, request: Request, caller: Caller) -> SessionHistoryOut:
    found = await service.session_history(_pool(request), caller, pair_id, session_id)
    zone = _policy(request).zone
    current_notes = None
    if found.show_notes:
        set_at = [v for v in found.notes_by_version if v <= found.session.version]
        current_notes = found.notes_by_version[max(set_at)] if set_at else None
    return SessionHistoryOut(
        session=_session_out(Answer(found.session, current_notes, found.show_notes), zone),
        versions=[
            _version_out(v, zone, found.notes_by_version.get(v.version), found.show_notes)
            for v in found.versions
        ],
    )


@router.put(
    "/pairs/{pair_id}/sessions/{session_id}",
    summary="Correct a session: the whole new metadata, recorded as a new version",
    responses=_WRITE,
    response_model_exclude_unset=True,
)
async def correct_session(
    pair_id: UUID, session_id: UUID, body: CorrectionIn, request: Request, caller: Caller
) -> SessionOut:
    policy = _policy(request)
    correction = Correction(
        details=body.details(policy.zone),
        rating_sent="rating" in body.model_fields_set,
        notes_sent="notes" in body.model_fields_set,
        notes=body.notes,
        by="staff",
        base_version=body.base_version,
    )
    answer = await service.correct_session(_pool(request), policy, caller, pair_id, session_id, correction)
    return _session_out(answer, policy.zone)


@router.post(
    "/pairs/{pair_id}/sessions/{session_id}/retraction",
    summary="Retract a session (it no longer counts); its history stays",
    responses=_WRITE,
    response_model_exclude_unset=True,
)
async def retract_session(
    pair_id: UUID, session_id: UUID, body: RetractionIn, request: Request, caller: Caller
) -> SessionOut:
    policy = _policy(request)
    answer = await service.retract_session(_pool(request), policy, caller, pair_id, session_id, body.reason)
    return _session_out(answer, policy.zone)
