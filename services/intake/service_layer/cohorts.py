"""Staff open cohorts, move their windows and timelines and close them; everyone sees which take registrations."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import structlog
from pydantic import ValidationError

from services.intake.domain.cohort import Cohort, CohortChanges, NewCohort
from services.intake.domain.errors import Conflict, Invalid, cohort_not_found, problems_from
from services.intake.service_layer.clock import now, today
from services.intake.store import cohorts as store
from shared.events import CohortClosed, CohortOpened, CohortUpdated
from shared.messaging import outbox

log = structlog.get_logger(__name__)


def _view(cohort: Cohort, timezone: str) -> dict[str, Any]:
    return {**asdict(cohort), "intake_state": cohort.intake_state(today(timezone))}


def _stated(cohort: Cohort) -> dict[str, Any]:
    """What CohortOpened/CohortUpdated state of a cohort (its closing travels as CohortClosed)."""
    return {k: v for k, v in asdict(cohort).items() if k != "closed_on"}


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a cohort named {name!r} exists already", "cohort_exists")


async def create_cohort(pool: asyncpg.Pool, new: NewCohort, timezone: str) -> dict[str, Any]:
    cohort = Cohort(
        uuid4(), new.name, new.intake_opens_on, new.intake_closes_on, new.kickoff_on, new.midpoint_on,
        new.closing_on,
    )  # fmt: skip
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        if not await store.insert_cohort(conn, cohort, at):
            raise _name_taken(new.name)
        event = CohortOpened(**_stated(cohort), occurred_at=at, producer="intake")
        await outbox.append(conn, [event])
    log.info("cohort opened", cohort_id=str(cohort.cohort_id))
    return _view(cohort, timezone)


async def list_cohorts(pool: asyncpg.Pool, timezone: str) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [_view(cohort, timezone) for cohort in await store.list_cohorts(conn)]


async def get_cohort(pool: asyncpg.Pool, cohort_id: UUID, timezone: str) -> dict[str, Any]:
    async with pool.acquire() as conn:
        cohort = await store.get_cohort(conn, cohort_id)
    if cohort is None:
        raise cohort_not_found(cohort_id)
    return _view(cohort, timezone)


async def change_cohort(
    pool: asyncpg.Pool, cohort_id: UUID, changes: CohortChanges, timezone: str
) -> dict[str, Any]:
    """Rename, move intake or the timeline; publishes CohortUpdated with the whole new state when it changed.

    A closed cohort is refused (409 cohort_closed): its year is over.
    """
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        cohort = await store.get_cohort(conn, cohort_id, for_update=True)
        if cohort is None:
            raise cohort_not_found(cohort_id)
        cohort.ensure_not_closed()
        try:
            wanted = changes.apply_to(cohort)
        except ValidationError as error:
            raise Invalid(problems_from(error, ("body",))) from error
        changed = replace(
            cohort,
            name=wanted.name,
            intake_opens_on=wanted.intake_opens_on,
            intake_closes_on=wanted.intake_closes_on,
            kickoff_on=wanted.kickoff_on,
            midpoint_on=wanted.midpoint_on,
            closing_on=wanted.closing_on,
        )
        if changed != cohort:
            if changed.name.lower() != cohort.name.lower() and await store.name_taken(
                conn, changed.name, cohort_id
            ):
                raise _name_taken(changed.name)
            await store.save_cohort(conn, changed, at)
            await outbox.append(conn, [CohortUpdated(**_stated(changed), occurred_at=at, producer="intake")])
            log.info("cohort updated", cohort_id=str(cohort_id))
    return _view(changed, timezone)


async def close_cohort(pool: asyncpg.Pool, cohort_id: UUID, timezone: str) -> dict[str, Any]:
    """Close the programme year (publishes CohortClosed once); closing a closed cohort changes nothing."""
    at = now()
    async with pool.acquire() as conn, conn.transaction():
        cohort = await store.get_cohort(conn, cohort_id, for_update=True)
        if cohort is None:
            raise cohort_not_found(cohort_id)
        if cohort.closed_on is None:
            cohort = replace(cohort, closed_on=today(timezone))
            await store.save_cohort(conn, cohort, at)
            event = CohortClosed(
                cohort_id=cohort_id, closed_on=cohort.closed_on, occurred_at=at, producer="intake"
            )
            await outbox.append(conn, [event])
            log.info("cohort closed", cohort_id=str(cohort_id))
    return _view(cohort, timezone)
