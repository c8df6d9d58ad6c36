"""Retention: staff anonymise a cohort closed more than the retention period ago, in one step. Every
participant is erased through the one erasure use case (bulk, one transaction); the cohort, its pairs,
sessions and figures stay, its people counted as erased."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import structlog

from services.intake.domain import retention as domain
from services.intake.domain.errors import cohort_not_found
from services.intake.service_layer import erasure
from services.intake.service_layer.clock import today
from services.intake.store import cohorts
from services.intake.store import retention as store
from shared.privacy.vault import Vault

log = structlog.get_logger(__name__)


async def retention_of(
    pool: asyncpg.Pool, cohort_id: UUID, retention_days: int, timezone: str
) -> dict[str, Any]:
    """When the cohort closed, from which day it may be anonymised, whether it was, who is left."""
    async with pool.acquire() as conn:
        cohort = await cohorts.get_cohort(conn, cohort_id)
        if cohort is None:
            raise cohort_not_found(cohort_id)
        left = await store.not_erased(conn, cohort_id)
        done = await store.anonymised_on(conn, cohort_id)
    first = domain.eligible_on(cohort.closed_on, retention_days)
    return {
        "cohort_id": cohort_id,
        "closed_on": cohort.closed_on,
        "retention_days": retention_days,
        "eligible_on": first,
        "may_anonymise": first is not None and today(timezone) >= first,
        "anonymised_on": done,
        "participants_not_erased": left,
    }


async def anonymise_cohort(
    pool: asyncpg.Pool, vault: Vault, cohort_id: UUID, retention_days: int, timezone: str
) -> dict[str, Any]:
    """Erase everyone in the cohort once its retention period is over; again, it erases whoever is left
    (someone registered late) and answers the same."""
    day = today(timezone)
    async with pool.acquire() as conn:
        cohort = await cohorts.get_cohort(conn, cohort_id)
        if cohort is None:
            raise cohort_not_found(cohort_id)
        domain.check_may_anonymise(cohort.closed_on, retention_days, day)
        ids = await store.participant_ids(conn, cohort_id)
    report = await erasure.erase_many(pool, vault, ids)
    async with pool.acquire() as conn:
        await store.mark_anonymised(conn, cohort_id, day)
    log.info("cohort anonymised", cohort_id=str(cohort_id), erased=report["erased"])
    return {
        **await retention_of(pool, cohort_id, retention_days, timezone),
        "erased": report["erased"],
        "already_erased": report["already_erased"],
        "keys": report["keys"],
    }
