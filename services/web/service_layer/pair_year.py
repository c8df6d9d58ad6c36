"""A member's programme year from their own page: the pair's agreement (record, confirm) and the
evaluations they answer once. Always with the member's own token: the terms and answers are theirs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.web.domain.errors import Conflict, Invalid, NotFound, Problem
from services.web.service_layer.context import Web
from services.web.service_layer.pair import Member
from services.web.store import year

Json = dict[str, Any]
FREQUENCIES = ("weekly", "every_two_weeks", "every_three_weeks", "monthly", "every_six_weeks")
QUESTIONS = ("expectations_met", "learning", "openness", "programme")


def _refused(conflict: Conflict) -> Invalid:
    return Invalid([Problem((), conflict.message, conflict.code or "conflict")])


async def agreement_page(web: Web, visitor: Member, pair_id: UUID) -> Json:
    held = visitor.pair(pair_id)
    try:
        agreement: Json | None = await year.agreement(web.apis.sessions, held.credential, pair_id)
    except NotFound:
        agreement = None
    confirmed_by_me = bool(agreement and agreement[f"confirmed_by_{held.role}"])
    return {"pair_id": pair_id, "role": held.role, "agreement": agreement, "confirmed_by_me": confirmed_by_me,
            "frequencies": FREQUENCIES}  # fmt: skip


async def record_agreement(web: Web, visitor: Member, pair_id: UUID, form: Mapping[str, Any]) -> Json:
    held = visitor.pair(pair_id)
    body = {
        "frequency": str(form.get("frequency") or ""),
        "terms": str(form.get("terms") or "").strip(),
        "confidentiality_confirmed": form.get("confidentiality") == "on",
    }
    try:
        return await year.record_agreement(web.apis.sessions, held.credential, pair_id, body)
    except Conflict as conflict:
        raise _refused(conflict) from conflict


async def confirm_agreement(web: Web, visitor: Member, pair_id: UUID) -> Json:
    held = visitor.pair(pair_id)
    return await year.confirm_agreement(web.apis.sessions, held.credential, pair_id)


async def evaluations_page(web: Web, visitor: Member, pair_id: UUID) -> Json:
    held = visitor.pair(pair_id)
    found = await year.pair_evaluations(web.apis.sessions, held.credential, pair_id)
    return {"pair_id": pair_id, "evaluations": found}


async def evaluation(web: Web, visitor: Member, pair_id: UUID, evaluation_id: UUID) -> Json:
    found = await evaluations_page(web, visitor, pair_id)
    chosen = next((e for e in found["evaluations"] if e["evaluation_id"] == str(evaluation_id)), None)
    if chosen is None:
        raise NotFound("no such evaluation")
    return {"pair_id": pair_id, "evaluation": chosen, "questions": QUESTIONS}


async def answer(
    web: Web, visitor: Member, pair_id: UUID, evaluation_id: UUID, form: Mapping[str, Any]
) -> Json:
    held = visitor.pair(pair_id)
    problems = [
        Problem(("body", "scores", q), "choose 1 to 5", "missing")
        for q in QUESTIONS
        if not form.get(f"scores.{q}")
    ]
    if problems:
        raise Invalid(problems)
    body = {
        "scores": {q: form.get(f"scores.{q}") for q in QUESTIONS},
        "gave": str(form.get("gave") or "").strip(),
        "improve": str(form.get("improve") or "").strip(),
        "quote": str(form.get("quote") or "").strip() or None,
        "quote_consent": form.get("quote_consent") == "on",
    }
    try:
        return await year.answer(web.apis.sessions, held.credential, pair_id, evaluation_id, body)
    except Conflict as conflict:
        raise _refused(conflict) from conflict


async def withdraw_quote(web: Web, visitor: Member, pair_id: UUID, evaluation_id: UUID) -> Json:
    """The member takes back their consent to publish their quote: it leaves staff's list and reporting."""
    held = visitor.pair(pair_id)
    return await year.withdraw_quote(web.apis.sessions, held.credential, pair_id, evaluation_id)
