"""Evaluations: staff open them per cohort, each member answers once from their own page, staff read
response counts and the consented quotes (role and year only).

Only the scaled answers leave sessions (EvaluationSubmitted); what the relation gave and what to improve
stay here, and no log line carries them. A quote consented to is published text: it travels to reporting
sealed under its author's personal key (EvaluationQuoteConsented, shared/privacy), like a name, so erasing
the author shreds it in the log too; withdrawing the consent sends EvaluationQuoteWithdrawn.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.sessions import store
from services.sessions.domain.agreement import member_only
from services.sessions.domain.errors import Conflict, NotFound, Refused
from services.sessions.domain.evaluation import (
    Answer,
    Evaluation,
    attribution,
    ensure_can_answer,
    text_problems,
    window_problems,
    year_of,
)
from services.sessions.domain.model import Principal
from services.sessions.domain.rules import check_pair_access
from services.sessions.service_layer.access import ensure_cohort_running
from services.sessions.service_layer.policy import Policy
from shared.events import Event
from shared.events.sessions import (
    EvaluationKind,
    EvaluationOpened,
    EvaluationQuoteConsented,
    EvaluationQuoteWithdrawn,
    EvaluationSubmitted,
)
from shared.messaging import outbox
from shared.privacy.sealing import seal_under_existing_key
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


async def open_evaluation(
    pool: asyncpg.Pool, policy: Policy, cohort_id: UUID, kind: EvaluationKind, opens_on: date, closes_on: date
) -> Evaluation:
    """Staff open the cohort's mid-point or closing evaluation (one of each); publishes EvaluationOpened."""
    if problems := window_problems(opens_on, closes_on, _today(policy)):
        raise Refused(problems)
    evaluation = Evaluation(uuid4(), cohort_id, kind, opens_on, closes_on)
    async with pool.acquire() as conn, conn.transaction():
        await ensure_cohort_running(conn, cohort_id)
        if not await store.evaluations.insert(conn, evaluation):
            raise Conflict("evaluation_exists", f"the cohort has a {kind} evaluation already")
        event = EvaluationOpened(
            evaluation_id=evaluation.evaluation_id, cohort_id=cohort_id, kind=kind, opens_on=opens_on,
            closes_on=closes_on, producer="sessions",
        )  # fmt: skip
        await outbox.append(conn, [event])
    log.info("evaluation opened", cohort_id=str(cohort_id), kind=kind)
    return evaluation


async def evaluations_of_cohort(pool: asyncpg.Pool, cohort_id: UUID) -> list[dict[str, Any]]:
    """Staff: the cohort's evaluations with answer counts per role."""
    async with pool.acquire() as conn:
        return await store.evaluations.of_cohort(conn, cohort_id)


async def evaluations_of_pair(
    pool: asyncpg.Pool, policy: Policy, principal: Principal | None, pair_id: UUID
) -> list[dict[str, Any]]:
    """The evaluations of the pair's cohort, each with its state today, whether the caller answered and
    whether their quote is published (consented: they may withdraw it)."""
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        pair = await store.pairs.pair(conn, pair_id)
        if pair is None:
            raise NotFound
        listed = await store.evaluations.of_cohort(conn, pair.cohort_id)
        member = await store.evaluations.member(conn, pair_id, role) if role != "staff" else None
        ids = [e["evaluation_id"] for e in listed]
        done = await store.evaluations.answered(conn, ids, member[0]) if member else set()
        published = await store.evaluations.quotes_published(conn, ids, member[0]) if member else set()
    today = _today(policy)
    fields = ("evaluation_id", "cohort_id", "kind", "opens_on", "closes_on")
    shown = [{k: e[k] for k in fields} for e in listed]
    return [
        {
            **e,
            "state": Evaluation(**e).state(today),
            "answered": e["evaluation_id"] in done,
            "quote_published": e["evaluation_id"] in published,
        }
        for e in shown
    ]


async def answer_evaluation(
    pool: asyncpg.Pool,
    policy: Policy,
    vault: Vault,
    principal: Principal | None,
    pair_id: UUID,
    evaluation_id: UUID,
    answer: Answer,
) -> EvaluationSubmitted:
    """The calling member answers once while the evaluation is open; publishes EvaluationSubmitted, and
    EvaluationQuoteConsented (sealed) when they consent to publish a quote."""
    if problems := text_problems(answer):
        raise Refused(problems)
    role = member_only(check_pair_access(principal, pair_id))
    today = _today(policy)
    async with pool.acquire() as conn, conn.transaction():
        pair = await store.pairs.pair(conn, pair_id)
        evaluation = await store.evaluations.evaluation(conn, evaluation_id)
        member = await store.evaluations.member(conn, pair_id, role)
        if pair is None or evaluation is None or member is None or evaluation.cohort_id != pair.cohort_id:
            raise NotFound
        cohort = await store.cohorts.cohort(conn, pair.cohort_id)
        answered = bool(await store.evaluations.answered(conn, [evaluation_id], member[0]))
        ensure_can_answer(evaluation, today, cohort.closed_on is not None, answered, pair.ended_on)
        event = EvaluationSubmitted(
            evaluation_id=evaluation_id, cohort_id=pair.cohort_id, kind=evaluation.kind, pair_id=pair_id,
            participant_id=member[0], role=role, company_id=member[1], scores=answer.scores,
            submitted_on=today, producer="sessions",
        )  # fmt: skip
        if not await store.evaluations.insert_answer(conn, event, answer):
            ensure_can_answer(evaluation, today, False, True)  # a concurrent answer came first
        published: list[Event] = [event]
        if answer.quote_consented and answer.quote:
            sealed = await seal_under_existing_key(vault, member[0], answer.quote)
            if sealed is not None:  # no key: the quote stays here, staff still read it from sessions
                published.append(
                    EvaluationQuoteConsented(
                        evaluation_id=evaluation_id,
                        cohort_id=pair.cohort_id,
                        kind=evaluation.kind,
                        participant_id=member[0],
                        role=role,
                        year=year_of(cohort, evaluation.closes_on),
                        quote=sealed,
                        producer="sessions",
                    )  # fmt: skip
                )
        await outbox.append(conn, published)
    log.info("evaluation answered", evaluation_id=str(evaluation_id), role=role, quotes=len(published) - 1)
    return event


async def withdraw_quote_consent(
    pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID, evaluation_id: UUID
) -> bool:
    """The calling member withdraws their consent to publish their quote (in a closed cohort too: consent
    is theirs to take back); publishes EvaluationQuoteWithdrawn. False when there was none to withdraw."""
    role = member_only(check_pair_access(principal, pair_id))
    async with pool.acquire() as conn, conn.transaction():
        pair = await store.pairs.pair(conn, pair_id)
        evaluation = await store.evaluations.evaluation(conn, evaluation_id)
        member = await store.evaluations.member(conn, pair_id, role)
        if pair is None or evaluation is None or member is None or evaluation.cohort_id != pair.cohort_id:
            raise NotFound
        withdrawn = await store.evaluations.withdraw_quote_consent(conn, evaluation_id, member[0])
        if withdrawn:
            event = EvaluationQuoteWithdrawn(
                evaluation_id=evaluation_id, cohort_id=pair.cohort_id, participant_id=member[0],
                producer="sessions",
            )  # fmt: skip
            await outbox.append(conn, [event])
    log.info("quote consent withdrawn", evaluation_id=str(evaluation_id), role=role, changed=withdrawn)
    return withdrawn


async def quotes_of_cohort(pool: asyncpg.Pool, cohort_id: UUID) -> list[dict[str, str]]:
    """Staff: the consented quotes, each signed only "Mentor 2027" / "Mentee 2027"."""
    async with pool.acquire() as conn:
        cohort = await store.cohorts.cohort(conn, cohort_id)
        rows = await store.evaluations.consented_quotes(conn, cohort_id)
    return [
        {
            "quote": r["quote"],
            "signed": attribution(r["role"], year_of(cohort, r["closes_on"])),
            "kind": r["kind"],
        }
        for r in rows
    ]


def _today(policy: Policy) -> date:
    return policy.now().astimezone(policy.zone).date()
