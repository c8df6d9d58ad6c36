"""A company registers, reads, changes and withdraws its own participants, and only its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog
from pydantic import ValidationError

from services.intake.domain import participant as domain
from services.intake.domain.cohort import Cohort
from services.intake.domain.company import avoid_list_problems
from services.intake.domain.errors import (
    Conflict,
    Invalid,
    Problem,
    company_not_found,
    duplicate_email,
    participant_not_found,
    problems_from,
)
from services.intake.domain.participant import Participant
from services.intake.domain.registration import ProfileChanges, Registration
from services.intake.domain.vocabulary import WithdrawalReason
from services.intake.service_layer import consent
from services.intake.service_layer.clock import now, today
from services.intake.store import cohorts, companies, idempotency
from services.intake.store import participants as store
from services.intake.store.idempotency import Answer, Claim
from services.intake.store.participants import Filters
from shared.messaging import outbox
from shared.privacy.sealing import seal_events
from shared.privacy.vault import Vault

BODY = ("body",)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Reply:
    """An answer to a registration, and whether it repeats an earlier one."""

    status_code: int
    body: dict[str, Any]
    replayed: bool = False


class _Replayed(Exception):
    """Leaves the transaction (rolling back this call's claims) to give the earlier answer."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer


async def cohort_taking_registrations(conn: asyncpg.Connection, cohort_id: UUID, timezone: str) -> Cohort:
    cohort = await cohorts.get_cohort(conn, cohort_id)
    if cohort is None:
        raise Invalid([Problem((*BODY, "cohort_id"), f"no cohort {cohort_id}", "unknown_cohort")])
    cohort.ensure_open(today(timezone))
    return cohort


async def check_avoid_list(conn: asyncpg.Connection, registration: Registration, company_id: UUID) -> None:
    known = await companies.existing_companies(conn, registration.avoid_company_ids)
    problems = avoid_list_problems(registration.avoid_company_ids, company_id, known)
    if problems:
        raise Invalid([Problem((*BODY, *p.loc), p.msg, p.type) for p in problems])


def _claims(
    registration: Registration, idempotency_key: str | None, participant: Participant, body: dict[str, Any]
) -> list[Claim]:
    fingerprint, pid = registration.fingerprint(), participant.participant_id
    claims = []
    if idempotency_key is not None:
        claims.append(Claim("header", idempotency_key, fingerprint, pid, 201, body))
    if registration.external_ref is not None:
        claims.append(Claim("external_ref", registration.external_ref, fingerprint, pid, 201, body))
    return claims


def _replay(earlier: dict[tuple[str, str], Answer], claims: Sequence[Claim]) -> Answer:
    """The earlier answer to give again, or a refusal when the 'retry' asks something else."""
    for claim in claims:
        answer = earlier.get((claim.scope, claim.key))
        if answer is None:
            continue
        if answer.request_hash == claim.request_hash:
            return answer
        if claim.scope == "header":
            raise Invalid(
                [
                    Problem(
                        ("header", "idempotency-key"),
                        "was already used for a different request; use a new key for a new request",
                        "idempotency_key_reused",
                    )
                ]
            )
        raise Conflict(
            f"external_ref {claim.key!r} is already registered as participant {answer.participant_id} "
            "with other details; change them with PATCH",
            "external_ref_conflict",
        )
    raise AssertionError("no earlier answer among the claims")


async def register(
    pool: asyncpg.Pool,
    vault: Vault,
    company_id: UUID,
    registration: Registration,
    idempotency_key: str | None,
    timezone: str,
) -> Reply:
    """Register once: a retry with the same Idempotency-Key or external_ref gets the first answer.

    The consent text version is the one named, else the one in force today; the retry's fingerprint is
    of the request as sent, so a new version published meanwhile does not make a retry a conflict."""
    participant_id, at = uuid4(), now()
    async with pool.acquire() as conn:
        agreed = (await consent.versions(conn, timezone)).apply(registration)
    participant, _ = domain.register(agreed, company_id, participant_id, at)
    body = domain.view(participant)
    claims = _claims(registration, idempotency_key, participant, body)
    async with pool.acquire() as conn:
        try:
            async with conn.transaction():
                earlier = await idempotency.claim(conn, company_id, claims)
                if earlier:
                    raise _Replayed(_replay(earlier, claims))
                company_avoid = await companies.company_avoid_list(conn, company_id)
                participant, event = domain.register(agreed, company_id, participant_id, at, company_avoid)
                await cohort_taking_registrations(conn, registration.cohort_id, timezone)
                await check_avoid_list(conn, registration, company_id)
                if not await store.insert_participants(conn, [participant]):
                    raise duplicate_email()
                await outbox.append(conn, await seal_events(vault, [event]))
        except _Replayed as replayed:
            answer = replayed.answer
            if answer.response is None:  # registered by an import: answer with the participant now
                return Reply(
                    answer.status_code, await get(pool, company_id, answer.participant_id), replayed=True
                )
            return Reply(answer.status_code, answer.response, replayed=True)
    log.info(
        "participant registered", participant_id=str(participant.participant_id), company_id=str(company_id)
    )
    return Reply(201, body)


async def get(pool: asyncpg.Pool, company_id: UUID, participant_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        participant = await store.get_participant(conn, company_id, participant_id)
    if participant is None:
        raise participant_not_found(participant_id)
    return domain.view(participant)


async def list_page(
    pool: asyncpg.Pool, company_id: UUID, filters: Filters, after: int, limit: int
) -> dict[str, Any]:
    async with pool.acquire() as conn:
        page, next_cursor = await store.list_participants(conn, company_id, filters, after, limit)
    return {
        "items": [domain.view(p) for p in page],
        "next_cursor": str(next_cursor) if next_cursor is not None else None,
    }


async def list_company_page(
    pool: asyncpg.Pool, company_id: UUID, filters: Filters, after: int, limit: int
) -> dict[str, Any]:
    """Staff read any company's participants: the same page, a 404 for a company that does not exist."""
    async with pool.acquire() as conn:
        if await companies.get_company(conn, company_id) is None:
            raise company_not_found(company_id)
    return await list_page(pool, company_id, filters, after, limit)


async def update(
    pool: asyncpg.Pool, vault: Vault, company_id: UUID, participant_id: UUID, changes: ProfileChanges
) -> dict[str, Any]:
    """Change the profile; ParticipantProfileUpdated goes out when what others see has changed."""
    try:
        async with pool.acquire() as conn, conn.transaction():
            participant = await store.get_participant(conn, company_id, participant_id, for_update=True)
            if participant is None:
                raise participant_not_found(participant_id)
            company_avoid = await companies.company_avoid_list(conn, company_id)
            try:
                changed, event = domain.update(participant, changes, now(), company_avoid)
            except ValidationError as error:
                raise Invalid(problems_from(error, BODY)) from error
            if changed is participant:
                return domain.view(participant)
            if changed.registration.avoid_company_ids != participant.registration.avoid_company_ids:
                await check_avoid_list(conn, changed.registration, company_id)
            await store.save_participant(conn, changed)
            if event is not None:
                await outbox.append(conn, await seal_events(vault, [event]))
            log.info("participant changed", participant_id=str(participant_id), published=event is not None)
    except asyncpg.UniqueViolationError as error:
        raise duplicate_email() from error
    return domain.view(changed)


async def withdraw(
    pool: asyncpg.Pool, company_id: UUID, participant_id: UUID, reason: WithdrawalReason, note: str
) -> dict[str, Any]:
    """Withdraw from the programme; the registration stays, marked withdrawn, and frees the email."""
    async with pool.acquire() as conn, conn.transaction():
        participant = await store.get_participant(conn, company_id, participant_id, for_update=True)
        if participant is None:
            raise participant_not_found(participant_id)
        withdrawn, event = domain.withdraw(participant, reason, note, now())
        if event is not None:
            await store.save_participant(conn, withdrawn)
            await outbox.append(conn, [event])
            log.info("participant withdrawn", participant_id=str(participant_id), reason=reason)
    return domain.view(withdrawn)
