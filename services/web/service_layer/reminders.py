"""Reminders in the web app: staff see what was sent and who opted out; a member opts out (or in again)
from the link in a mail or from their pair page, where the web app signs their seat itself."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.domain.errors import Invalid, Problem
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.service_layer.pair import Member
from services.web.store import intake
from shared.reminder_tokens import Role, make_token, seat_of

Json = dict[str, Any]


async def staff_page(web: Web, visitor: Visitor) -> Json:
    sent = await intake.reminders(web.apis.intake, visitor.credential)
    opted = await intake.reminder_opt_outs(web.apis.intake, visitor.credential)
    return {"reminders": sent, "opt_outs": opted}


def _checked(secret: str, token: str) -> str:
    if seat_of(secret, token) is None:
        raise Invalid([Problem(("body", "token"), "is not a valid opt-out link", "invalid_token")])
    return token


async def link_page(web: Web, secret: str, token: str) -> Json:
    """The page a mail's link opens: whether this member gets reminders now."""
    found = await intake.reminder_preference(web.apis.intake, "preference", _checked(secret, token))
    return {"token": token, "opted_out": found["opted_out"]}


async def choose_by_link(web: Web, secret: str, token: str, opt_out: bool) -> Json:
    choice = "opt-out" if opt_out else "opt-in"
    found = await intake.reminder_preference(web.apis.intake, choice, _checked(secret, token), "mail_link")
    return {"token": token, "opted_out": found["opted_out"]}


def _seat_token(secret: str, visitor: Member, pair_id: UUID) -> str:
    """The member's own seat, as their pair link showed it: the web app vouches for them."""
    held = visitor.pair(pair_id)
    role: Role = "mentor" if held.role == "mentor" else "mentee"
    return make_token(secret, pair_id, role)


async def pair_page(web: Web, secret: str, visitor: Member, pair_id: UUID) -> Json:
    signed = _seat_token(secret, visitor, pair_id)
    found = await intake.reminder_preference(web.apis.intake, "preference", signed)
    return {"pair_id": pair_id, "opted_out": found["opted_out"]}


async def choose_on_pair_page(web: Web, secret: str, visitor: Member, pair_id: UUID, opt_out: bool) -> Json:
    signed = _seat_token(secret, visitor, pair_id)
    choice = "opt-out" if opt_out else "opt-in"
    found = await intake.reminder_preference(web.apis.intake, choice, signed, "pair_page")
    return {"pair_id": pair_id, "opted_out": found["opted_out"]}
