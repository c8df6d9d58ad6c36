"""A pair's agreement: a member records it (at or after the first session), each member confirms it.

The practical terms are the pair's own words: stored here, shown only to the pair's two members, never
in AgreementRecorded, a log line or an answer to staff.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import structlog

from services.sessions import store
from services.sessions.domain.agreement import (
    Agreement,
    confirm_by,
    decide_record,
    member_only,
    terms_problems,
)
from services.sessions.domain.errors import NotFound, Refused
from services.sessions.domain.model import Principal
from services.sessions.domain.rules import check_pair_access
from services.sessions.service_layer.access import pair_to_write
from services.sessions.service_layer.policy import Policy
from shared.events.sessions import AgreementFrequency
from shared.messaging import outbox

log = structlog.get_logger(__name__)


async def record_agreement(
    pool: asyncpg.Pool,
    policy: Policy,
    principal: Principal | None,
    pair_id: UUID,
    frequency: AgreementFrequency,
    terms: str,
    confirm: bool,
) -> Agreement:
    """Record or change the agreement; publishes AgreementRecorded when anything changed."""
    if problems := terms_problems(terms):
        raise Refused(problems)
    async with pool.acquire() as conn, conn.transaction():
        pair, by = await pair_to_write(conn, policy, principal, pair_id)
        role = member_only(by)
        today = policy.now().astimezone(policy.zone).date()
        current = await store.agreements.agreement(conn, pair_id, lock=True)
        wanted = Agreement(pair_id, pair.cohort_id, frequency, terms, today, role)
        held = await store.agreements.sessions_held(conn, pair_id)
        decided = decide_record(current, wanted, held, confirm)
        if decided is None:
            assert current is not None
            return current
        await _state(conn, decided)
    return decided


async def confirm_agreement(
    pool: asyncpg.Pool, policy: Policy, principal: Principal | None, pair_id: UUID
) -> Agreement:
    """The calling member confirms the agreement and its confidentiality (once)."""
    async with pool.acquire() as conn, conn.transaction():
        _, by = await pair_to_write(conn, policy, principal, pair_id)
        role = member_only(by)
        current = await store.agreements.agreement(conn, pair_id, lock=True)
        if current is None:
            raise NotFound("the pair has recorded no agreement yet")
        decided = confirm_by(current, role, policy.now().astimezone(policy.zone).date())
        if decided is None:
            return current
        await _state(conn, decided)
    return decided


async def _state(conn: asyncpg.Connection, agreement: Agreement) -> None:
    await store.agreements.save(conn, agreement)
    await outbox.append(conn, [agreement.event()])
    log.info(
        "agreement recorded",
        pair_id=str(agreement.pair_id),
        version=agreement.version,
        confirmed_by_both=agreement.confirmed_by_both,
    )


async def agreement_of(
    pool: asyncpg.Pool, principal: Principal | None, pair_id: UUID
) -> tuple[Agreement | None, bool]:
    """The pair's agreement, and whether the caller may see its terms (its members only)."""
    role = check_pair_access(principal, pair_id)
    async with pool.acquire() as conn:
        if await store.pairs.pair(conn, pair_id) is None:
            raise NotFound
        return await store.agreements.agreement(conn, pair_id), role != "staff"


async def agreements_of_cohort(pool: asyncpg.Pool, cohort_id: UUID) -> list[dict[str, object]]:
    """Staff: which pairs have an agreement, confirmed by whom (never the terms)."""
    async with pool.acquire() as conn:
        return await store.agreements.of_cohort(conn, cohort_id)
