"""A person's rights, from the web: the data export as one ZIP, for staff (on the person's page) and
for the person themself (from their pair page, asked with their own pair token), and what staff see of
one participant: their registration and consent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import structlog

from services.web.domain import data_export
from services.web.domain.errors import Invalid, NotFound, Problem, Unauthorized, Unavailable
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.service_layer.pair import Member
from services.web.store import intake, people, rights
from services.web.store import pair as sessions_api

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes


async def staff_export(web: Web, visitor: Visitor, participant_id: UUID) -> Download:
    parts = await rights.exports(web.apis, visitor.credential, participant_id)
    log.info("data export downloaded", participant_id=str(participant_id), requested_by="staff")
    content = data_export.archive(parts, participant_id, "staff", datetime.now(UTC))
    return Download(data_export.filename(participant_id), content)


async def member_export(web: Web, member: Member, pair_id: UUID) -> Download:
    """Everything about the member, asked of each service with their own token (so their own only)."""
    held = member.pair(pair_id)
    me = await sessions_api.me(web.apis.sessions, held.credential)
    if not me.get("participant_id"):
        raise NotFound("no participant behind this link")
    participant_id = UUID(str(me["participant_id"]))
    parts = await rights.exports(web.apis, held.credential, participant_id)
    log.info("data export downloaded", participant_id=str(participant_id), requested_by="self")
    content = data_export.archive(parts, participant_id, "self", datetime.now(UTC))
    return Download(data_export.filename(participant_id), content)


async def staff_person(web: Web, visitor: Visitor, participant_id: UUID) -> dict[str, Any]:
    """One participant as staff see them: the registration intake holds (its export), company, cohort."""
    found: dict[str, Any] = await intake.participant_export(
        web.apis.intake, visitor.credential, participant_id
    )
    data = found["data"]
    return {
        "person": data["registration"],
        "company": data.get("company") or {},
        "cohort": data.get("cohort") or {},
        "consent_text": data.get("consent_text"),
    }


async def member_consent(web: Web, member: Member, pair_id: UUID) -> dict[str, Any] | None:
    """What the member agreed to, from intake's own record asked with their token: None while intake has
    not yet learnt the token (a moment after the link is issued) or does not answer."""
    held = member.pair(pair_id)
    try:
        me = await sessions_api.me(web.apis.sessions, held.credential)
        if not me.get("participant_id"):
            return None
        found = await intake.participant_export(
            web.apis.intake, held.credential, UUID(str(me["participant_id"]))
        )
    except (Unauthorized, NotFound, Unavailable):
        return None
    registration = found["data"]["registration"]
    return {"version": registration["consent_text_version"], "consented_at": registration["consented_at"]}


async def member_participant(web: Web, member: Member, pair_id: UUID) -> UUID:
    held = member.pair(pair_id)
    me = await sessions_api.me(web.apis.sessions, held.credential)
    if not me.get("participant_id"):
        raise NotFound("no participant behind this link")
    return UUID(str(me["participant_id"]))


async def withdraw_member_consent(
    web: Web, member: Member, pair_id: UUID, form: Mapping[str, Any]
) -> dict[str, Any]:
    """The member withdraws their own consent (asked of intake with their own token): they are erased."""
    if form.get("confirm") != "yes":
        raise Invalid([Problem(("body", "confirm"), "confirm the withdrawal", "withdraw_confirm_missing")])
    held = member.pair(pair_id)
    participant_id = await member_participant(web, member, pair_id)
    answer: dict[str, Any] = await intake.withdraw_consent(web.apis.intake, held.credential, participant_id)
    log.info("consent withdrawn by the member", participant_id=str(participant_id))
    return answer


async def company_person(web: Web, visitor: Visitor, participant_id: UUID) -> dict[str, Any]:
    """One of the company's own people (another company's: 404), for the withdrawal's confirmation."""
    return {"person": await people.person(web.apis.intake, visitor.credential, participant_id)}


async def company_withdraw_consent(
    web: Web, visitor: Visitor, participant_id: UUID, form: Mapping[str, Any]
) -> dict[str, Any]:
    """HR records that one of its people withdrew their consent: intake erases them."""
    if form.get("confirm") != "yes":
        raise Invalid([Problem(("body", "confirm"), "confirm the withdrawal", "withdraw_confirm_missing")])
    return await intake.withdraw_consent(web.apis.intake, visitor.credential, participant_id)
